import { setTimeout as delay } from 'node:timers/promises';
import { loadPipelineConfig } from '@login-stream/config';
import { cpuSeconds, freePorts, pipelineEnv, scrapeMetrics, startBroker, TestKafka, waitForGroupJoin, waitUntil } from '@login-stream/kafka-testing';
import { DEAD_LETTER_HEADERS, headerText, LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import type { Admin, Producer } from 'kafkajs';
import { committedByPartition, committedInput, groupCaughtUp, sumOf } from '../testing/group-progress';
import { mixedLogins } from '../testing/login-events';
import { ProcessorChild } from '../testing/processor-child';
import type { LogLine } from '../testing/processor-child';
import { percentile } from './percentile';

/**
 * `npm run bench:processor`: sustained throughput and end-to-end latency of the login processor
 * with exactly-once on, against the broker named by KAFKA_BROKERS or a local one it starts.
 *   throughput: BENCH_EVENTS logins (5% bad) preloaded, then the processor's committed input
 *               offsets (processed-logins / DLQ written in the same transactions) per second, from
 *               the moment its groups have formed until the first partition is drained; and the
 *               time until every input offset is committed, start-up included;
 *   latency:    BENCH_RATE logins/s for BENCH_SECONDS, each timed from the produce call to its
 *               output becoming visible to a read_committed consumer.
 * The processors serve /metrics as in production, scraped every second meanwhile (harsher than
 * Prometheus' usual 15 s); BENCH_METRICS=off runs them with HTTP_PORT=0, and
 * BENCH_METRICS=compare measures the throughput BENCH_PAIRS times each way instead, in pairs
 * whose order alternates, and prints the on/off ratios of throughput and CPU per event.
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
/** Distinct users: each one's first login, and every widening of its range, also writes a summary. */
const USERS = Number(process.env['BENCH_USERS'] ?? 10_000);
const WARM_UP_MS = 2_000;
const METRICS = process.env['BENCH_METRICS'] ?? 'on';
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 3);
const SCRAPE_INTERVAL_MS = 1_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number) => Math.round(n).toLocaleString('en-US');

/** Processor instances sharing the group: one per core of the 2-core reference machine. */
const INSTANCES = Number(process.env['BENCH_INSTANCES'] ?? 2);
/**
 * Partitions of every topic: one per instance. Each transaction writes a marker to every output
 * partition it touched, so more partitions than consumers only add commit work for the broker.
 */
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? INSTANCES);

interface Processors {
  /** CPU seconds the instances have used so far. */
  cpu: () => number;
  /** What the instances logged (warnings and errors) since the last call: a mid-run rebalance or retry explains a figure. */
  takeLog: () => LogLine[];
  stop: () => Promise<void>;
}

/** The processor as `npm start` runs it (node flags included), as many instances as asked for; with metrics, scraped every second. */
async function startProcessors(env: Record<string, string>, metrics: boolean): Promise<Processors> {
  const ports = metrics ? await freePorts(INSTANCES) : [];
  const children = Array.from({ length: INSTANCES }, (_, i) => new ProcessorChild({ ...env, LOG_LEVEL: 'warn', HTTP_PORT: String(ports[i] ?? 0) }));
  const taken = children.map(() => 0);
  // A failed scrape (the server not up yet) is only skipped: the figure is the processor's.
  const scraper = metrics ? setInterval(() => ports.forEach((port) => void scrapeMetrics(port).catch(() => undefined)), SCRAPE_INTERVAL_MS) : undefined;
  return {
    cpu: () => children.reduce((sum, c) => sum + cpuSeconds(c.pid), 0),
    takeLog: () =>
      children.flatMap((child, i) => {
        const lines = child.lines.slice(taken[i]);
        taken[i] = child.lines.length;
        return lines;
      }),
    stop: async () => {
      clearInterval(scraper);
      await Promise.all(children.map((c) => c.kill('SIGTERM')));
    },
  };
}

/** The processor's environment for a bench run: fresh names, its production defaults otherwise. */
function benchEnv(prefix: string, brokers: readonly string[]): Record<string, string> {
  // pipelineEnv shortens the session timeout and stats interval for tests; a bench runs the defaults.
  const { SESSION_TIMEOUT_MS: _session, STATS_INTERVAL_MS: _stats, ...env } = pipelineEnv(prefix, brokers, { TOPIC_PARTITIONS: String(PARTITIONS) });
  return env;
}

async function preload(producer: Producer, topic: string, count: number): Promise<void> {
  const logins = mixedLogins({ count, users: USERS, badShare: 0.05, seed: 42 });
  // 2,000 logins stay below the broker's 1 MiB per partition per request even on one partition.
  const chunk = 2_000;
  for (let i = 0; i < logins.length; i += chunk) {
    await producer.send({ topic, acks: 1, messages: logins.slice(i, i + chunk).map((m, j) => ({ ...m, partition: (i + j) % PARTITIONS })) });
  }
}

/** Resolves once both stages' groups are Stable with every processor instance in them. */
async function groupsFormed(admin: Admin, groupId: string): Promise<void> {
  const formed = async () => {
    const { groups } = await admin.describeGroups([groupId, `${groupId}-summary`]);
    return groups.every((g) => g.state === 'Stable' && g.members.length === INSTANCES);
  };
  await waitUntil(formed, { timeoutMs: 120_000, description: `${INSTANCES} processor instance(s) in each stage's group`, intervalMs: 20 });
}

/**
 * Follows the group over the preloaded topic until one partition has all its input committed,
 * and tells how many records were committed by then, and when. Until that moment every instance
 * has input left and works flat out, so that stretch gives the sustained rate; after it the
 * instances that are done sit idle while the others finish, which would measure how evenly the
 * preload happened to split, not the processor.
 *
 * Each poll costs the 2-core machine admin requests that compete with the processor, so it
 * polls sparsely while the end is far off and every 20 ms once it is near: the next poll comes
 * after half the time the rate so far predicts.
 */
async function followUntilAPartitionDrains(
  admin: Admin,
  groupId: string,
  topic: string,
  start: { committed: number; at: number; timeoutMs: number },
): Promise<{ committed: number; at: number }> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((e) => [e.partition, Number(e.high)]));
  for (;;) {
    const committed = await committedByPartition(admin, groupId, topic);
    const at = performance.now();
    const sum = sumOf(committed);
    const fewestLeft = Math.min(...[...ends].map(([partition, end]) => end - (committed.get(partition) ?? 0)));
    if (fewestLeft <= 0) return { committed: sum, at };
    if (at - start.at > start.timeoutMs) throw new Error(`no partition of ${topic} was fully committed within ${start.timeoutMs} ms`);
    const perPartitionPerMs = (sum - start.committed) / (at - start.at) / ends.size;
    const remainingMs = perPartitionPerMs > 0 ? fewestLeft / perPartitionPerMs : 1_000;
    await delay(Math.min(1_000, Math.max(20, remainingMs / 2)));
  }
}

async function throughput(testKafka: TestKafka, admin: Admin, producer: Producer, metrics: boolean): Promise<{ perSecond: number; cpuMicrosPerEvent: number }> {
  const env = benchEnv('bench-tput', testKafka.brokers);
  const { topics } = loadPipelineConfig(env);
  const groupId = env['CONSUMER_GROUP_ID'];
  for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: PARTITIONS }] });
  say(`preloading ${round(EVENTS)} logins (5% bad) into ${topics.userLogin}…`);
  await preload(producer, topics.userLogin, EVENTS);

  const startedAt = performance.now();
  const processors = await startProcessors(env, metrics);
  try {
    // The clock starts once both stages' groups have formed: joins, the rebalance as the later
    // instances arrive and their fencing are start-up, not the sustained rate.
    await groupsFormed(admin, groupId);
    processors.takeLog();
    const start = { committed: await committedInput(admin, groupId, topics.userLogin), at: performance.now(), timeoutMs: 30 * 60_000 };
    const cpuAtStart = processors.cpu();
    const end = await followUntilAPartitionDrains(admin, groupId, topics.userLogin, start);
    const cpu = processors.cpu() - cpuAtStart;
    const seconds = (end.at - start.at) / 1000;
    const events = end.committed - start.committed;
    say(
      `throughput: ${round(events)} logins committed to processed-logins/DLQ in ${seconds.toFixed(2)} s → ${round(events / seconds)} events/s ` +
        `(exactly-once, ${INSTANCES} instance(s), ${PARTITIONS} partitions, while every partition had input left, metrics ${metrics ? 'on and scraped every second' : 'off'})`,
    );
    // Steadier than the rate when the broker shares the cores: what the work itself costs.
    const cpuMicrosPerEvent = (cpu * 1e6) / events;
    say(`  cpu: the processors used ${cpu.toFixed(2)} CPU seconds meanwhile, ${cpuMicrosPerEvent.toFixed(2)} µs per event`);
    reportLog('while measured', processors.takeLog());
    await waitUntil(() => groupCaughtUp(admin, groupId, topics.userLogin), { timeoutMs: 30 * 60_000, description: 'the processor to commit every input offset', intervalMs: 100 });
    say(`  all ${round(EVENTS)} were committed ${((performance.now() - startedAt) / 1000).toFixed(2)} s after the processors started (group forming included)`);
    return { perSecond: events / seconds, cpuMicrosPerEvent };
  } finally {
    await processors.stop();
  }
}

/** Throughput with metrics off and on, alternating, PAIRS times: the cost of the HTTP server and metrics. */
async function compareMetrics(testKafka: TestKafka, admin: Admin, producer: Producer): Promise<void> {
  const rates: number[] = [];
  const cpus: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    // The second run of a pair gains from the first (a warmer broker): the order alternates.
    const onFirst = pair % 2 === 1;
    const first = await throughput(testKafka, admin, producer, onFirst);
    const second = await throughput(testKafka, admin, producer, !onFirst);
    const [on, off] = onFirst ? [first, second] : [second, first];
    rates.push(on.perSecond / off.perSecond);
    cpus.push(on.cpuMicrosPerEvent / off.cpuMicrosPerEvent);
    say(`pair ${pair + 1}: metrics on / off = ${round(on.perSecond)} / ${round(off.perSecond)} events/s (${(on.perSecond / off.perSecond).toFixed(3)}), ${on.cpuMicrosPerEvent.toFixed(2)} / ${off.cpuMicrosPerEvent.toFixed(2)} CPU µs per event (${(on.cpuMicrosPerEvent / off.cpuMicrosPerEvent).toFixed(3)})`);
  }
  const summary = (ratios: number[]) => {
    const sorted = [...ratios].sort((a, b) => a - b);
    return `median ${percentile(sorted, 0.5).toFixed(3)} (min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)})`;
  };
  say(`metrics cost over ${PAIRS} pairs, on/off: throughput ${summary(rates)}; CPU per event ${summary(cpus)}`);
}

/** The processors' warnings and errors, counted by what they say. */
function reportLog(when: string, lines: readonly LogLine[]): void {
  const counts = new Map<string, number>();
  for (const line of lines) {
    // An error's own message says what went wrong; kafkajs' retried answers carry theirs in `error`.
    const err = line['err'] as { message?: string } | undefined;
    const what = `${String(line['level'])}: ${JSON.stringify(line['error'] ?? line.msg)}${err?.message === undefined ? '' : ` (${err.message})`}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  say(`  processors logged ${lines.length} warning(s) or error(s) ${when}${lines.length > 0 ? ':' : ''}`);
  for (const [what, count] of counts) say(`    ${count}× ${what}`);
}

async function latency(testKafka: TestKafka, admin: Admin, producer: Producer): Promise<void> {
  const env = benchEnv('bench-latency', testKafka.brokers);
  const { topics } = loadPipelineConfig(env);
  for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: PARTITIONS }] });
  const total = RATE * SECONDS;
  const logins = mixedLogins({ count: total, users: USERS, badShare: 0.05, seed: 7 });
  // When each input record was handed to the producer, by `partition:offset`.
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const firstCountedAt = { value: 0 };

  const processors = await startProcessors(env, METRICS !== 'off');
  const reader = testKafka.consumer({ readUncommitted: false, maxWaitTimeInMs: 50 });
  try {
    // The processor creates its output topics; once a first login made it through, they exist.
    await producer.send({ topic: topics.userLogin, messages: [{ partition: 0, value: logins[0]?.value ?? null }] });
    await waitUntil(async () => (await committedInput(admin, env['CONSUMER_GROUP_ID'], topics.userLogin)) > 0, {
      timeoutMs: 120_000,
      description: 'the processor to serve its first login',
      intervalMs: 20,
    });
    const joined = waitForGroupJoin(reader);
    await reader.connect();
    await reader.subscribe({ topics: [topics.processedLogins, topics.deadLetter], fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          const source =
            batch.topic === topics.processedLogins
              ? parseLineage(headerText(m.headers, LINEAGE_HEADER) ?? '')
              : { partition: headerText(m.headers, DEAD_LETTER_HEADERS.sourcePartition), offset: headerText(m.headers, DEAD_LETTER_HEADERS.sourceOffset) };
          const sent = source === undefined ? undefined : sentAt.get(`${source.partition}:${source.offset}`);
          if (sent !== undefined && sent >= firstCountedAt.value) latencies.push(now - sent);
        }
      },
    });
    await joined;
    await groupsFormed(admin, env['CONSUMER_GROUP_ID']);
    processors.takeLog();

    say(`latency: producing ${round(RATE)} logins/s for ${SECONDS} s…`);
    const start = Date.now();
    firstCountedAt.value = start + WARM_UP_MS;
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * RATE));
      if (due > sent) {
        const batch = logins.slice(sent, due).map((m, j) => ({ ...m, partition: (sent + j) % PARTITIONS }));
        const at = Date.now();
        const metadata = await producer.send({ topic: topics.userLogin, acks: -1, messages: batch });
        // Records of one partition in one request get consecutive offsets from its base offset.
        const next = new Map(metadata.map((r) => [r.partition, BigInt(r.baseOffset ?? '0')]));
        for (const { partition } of batch) {
          const offset = next.get(partition) ?? 0n;
          sentAt.set(`${partition}:${offset}`, at);
          next.set(partition, offset + 1n);
        }
        sent = due;
      }
      await delay(5);
    }
    const counted = [...sentAt.values()].filter((t) => t >= firstCountedAt.value).length;
    await waitUntil(() => latencies.length >= counted, { timeoutMs: 60_000, description: `${counted} outputs`, intervalMs: 50 });
    const sorted = [...latencies].sort((a, b) => a - b);
    say(
      `latency at ${round(RATE)} events/s over ${SECONDS} s (first ${WARM_UP_MS / 1000} s excluded, ${round(sorted.length)} events, ${INSTANCES} instance(s), ${PARTITIONS} partitions): ` +
        `p50 ${percentile(sorted, 0.5)} ms, p99 ${percentile(sorted, 0.99)} ms, max ${sorted[sorted.length - 1]} ms`,
    );
    reportLog('while measured', processors.takeLog());
  } finally {
    await reader.disconnect();
    await processors.stop();
  }
}

async function main(): Promise<void> {
  const broker = await startBroker();
  say(`broker: ${broker.kind} at ${broker.bootstrapServers}`);
  const testKafka = new TestKafka(broker.bootstrapServers.split(','));
  try {
    const admin = await testKafka.admin();
    const producer = await testKafka.producer();
    if (METRICS === 'compare') {
      await compareMetrics(testKafka, admin, producer);
    } else {
      await throughput(testKafka, admin, producer, METRICS !== 'off');
      await latency(testKafka, admin, producer);
    }
  } finally {
    await testKafka.close();
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
