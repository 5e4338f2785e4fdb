import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadPipelineConfig } from '@login-stream/config';
import { keyPartitioner } from '@login-stream/kafka';
import { buildPackage, cpuSeconds, freePorts, peakRssMb, pipelineEnv, scrapeMetrics, seededRandom, sumOf, ServiceChild, startBroker, startScriptNodeFlags, TestKafka, waitUntil } from '@login-stream/kafka-testing';
import { EVENT_TIME_HEADER, formatIsoUtc, LINEAGE_HEADER, windowInsightsSchema } from '@login-stream/schema';
import { addLogin, emptyPartial } from '../windows/window-aggregate';
import type { MetricSample } from '@login-stream/kafka-testing';
import type { Admin, Producer } from 'kafkajs';

/**
 * `npm run bench:insights`: insights alone, exactly once, over processed-logins preloaded with
 * BENCH_EVENTS logins of BENCH_USERS users spread over BENCH_MINUTES of event time (1m and 1h
 * windows, the defaults otherwise), against the broker named by KAFKA_BROKERS or a local one.
 *   throughput: committed input offsets of the windowing stage per second, from its first
 *               commit until every input offset is committed;
 *   delay:      from that moment (the input has stopped) to the results of the windows holding
 *               the last events, which close by the idle rule with no further input;
 *   memory:     the process's peak RSS (VmHWM); and, measured in this process, the heap one
 *               window holds per unique user (each with 10 logins from 1 or 2 IPs).
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const USERS = Number(process.env['BENCH_USERS'] ?? 100_000);
const MINUTES = Number(process.env['BENCH_MINUTES'] ?? 20);
/** Insights instances sharing the groups. One: on the 2-core reference machine a second one competes with the broker for the cores. */
const INSTANCES = Number(process.env['BENCH_INSTANCES'] ?? 1);
const START = Date.parse('2016-07-11T14:50:00Z');
const SERVICE_DIR = path.resolve(__dirname, '../..');

/** prom-client's process gauges whose peaks the bench prints next to the RSS. */
const MEMORY_GAUGES = ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes'] as const;

const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1048576).toFixed(0)} MB`;
const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number) => Math.round(n).toLocaleString('en-US');

/** What one user logs in with. */
interface BenchUser {
  readonly ips: readonly string[];
  readonly locale: string;
  readonly devices: readonly string[];
}

const LOCALES = ['CA', 'VT', 'WY', 'NY', 'RU', 'PT', 'DE'];
const DEVICE_TYPES = ['android', 'iOS'];

/**
 * BENCH_IPS=per-user (the default): each user has 1–4 IPs, 1–3 devices and one locale, and
 * each login picks among them, as the producer's generated population does. per-login: every
 * login has an IP, device and locale of its own, so a user's window holds an IP per login: the
 * harshest case for the IP sets.
 */
const PER_LOGIN = (process.env['BENCH_IPS'] ?? 'per-user') === 'per-login';

/** Processed logins as the processor writes them: keyed by user_id, with lineage and event-time headers. */
async function preload(producer: Producer, topic: string): Promise<void> {
  const random = seededRandom(1_000_000);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const randomIp = () => `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 4)}`;
  const users: BenchUser[] = Array.from({ length: USERS }, () => ({
    ips: Array.from({ length: 1 + Math.floor(random() * 4) }, randomIp),
    locale: pick(LOCALES),
    devices: Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(DEVICE_TYPES)),
  }));
  const span = MINUTES * 60_000;
  const chunk = 2_000;
  for (let i = 0; i < EVENTS; i += chunk) {
    const messages = Array.from({ length: Math.min(chunk, EVENTS - i) }, (_, j) => {
      const n = i + j;
      const u = Math.floor(random() * USERS);
      const user = `user-${u}`;
      const own = users[u];
      // 99.9 % within 3 s of their place, the rest up to a minute behind.
      const t = START + Math.floor((n * span) / EVENTS) - (random() < 0.999 ? Math.floor(random() * 3_000) : Math.floor(random() * 60_000));
      const value = {
        user_id: user,
        app_version: '2.4.0',
        device_type: PER_LOGIN ? pick(DEVICE_TYPES) : pick(own.devices),
        ip: PER_LOGIN ? randomIp() : pick(own.ips),
        locale: PER_LOGIN ? pick(LOCALES) : own.locale,
        device_id: `device-${user}`,
        timestamp: t / 1000,
        event_time: formatIsoUtc(t),
        event_time_ms: t,
        processed_at: formatIsoUtc(Date.now()),
      };
      return { key: user, value: JSON.stringify(value), headers: { [LINEAGE_HEADER]: `bench-login:0:${n}`, [EVENT_TIME_HEADER]: String(t) } };
    });
    await producer.send({ topic, acks: 1, messages });
  }
}

/** Heap bytes a window's partial holds per unique user, after a full GC before and after filling it. */
function windowBytesPerUser(users: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the bench with node --expose-gc (npm run bench:insights does)');
  const random = seededRandom(users);
  gc();
  const before = process.memoryUsage().heapUsed;
  const partial = emptyPartial();
  for (let n = 0; n < users * 10; n++) {
    const user = n % users;
    addLogin(partial, { userId: `user-${user}`, deviceType: user % 2 ? 'iOS' : 'android', locale: `L${user % 50}`, ip: `10.${user % 256}.${(user >> 8) % 256}.${random() < 0.8 ? 1 : 2}` });
  }
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (partial.users.size !== users) throw new Error(`expected ${users} users, got ${partial.users.size}`);
  return bytes / users;
}

async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

async function main(): Promise<void> {
  buildPackage(SERVICE_DIR);
  for (const users of [10_000, 100_000, 1_000_000]) {
    const perUser = windowBytesPerUser(users);
    say(`window memory: ${round(users)} unique users → ${round((perUser * users) / 1048576)} MB of heap, ${round(perUser)} bytes per user`);
  }
  const broker = await startBroker();
  say(`broker: ${broker.kind} at ${broker.bootstrapServers}`);
  const testKafka = new TestKafka(broker.bootstrapServers.split(','));
  try {
    const admin = await testKafka.admin();
    const { SESSION_TIMEOUT_MS: _s, STATS_INTERVAL_MS: _i, INSIGHTS_IDLE_MS: _d, ...env } = pipelineEnv('bench-insights', testKafka.brokers);
    const { topics } = loadPipelineConfig(env);
    const groupId = env['INSIGHTS_GROUP_ID'];
    for (const t of [topics.processedLogins, topics.deadLetter, topics.loginInsights, topics.loginInsightsLate, `${groupId}-partials`]) testKafka.own(t);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.processedLogins, numPartitions: Number(env['TOPIC_PARTITIONS']) }] });
    say(`preloading ${round(EVENTS)} processed logins of ${round(USERS)} users over ${MINUTES} minutes of event time (${PER_LOGIN ? 'an IP, device and locale per login' : '1–4 IPs, 1–3 devices and a locale per user'}) into ${topics.processedLogins}…`);
    const producer = await testKafka.producer({ createPartitioner: keyPartitioner });
    await preload(producer, topics.processedLogins);

    // As `npm start` runs it, plus BENCH_NODE_FLAGS (e.g. --cpu-prof) when set.
    const flags = [...startScriptNodeFlags(SERVICE_DIR), ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '')];
    // Metrics on and scraped every second, as in production (harsher than Prometheus' usual 15 s).
    const ports = await freePorts(INSTANCES);
    const instances = Array.from({ length: INSTANCES }, (_, i) => new ServiceChild('insights', path.join(SERVICE_DIR, 'dist/main.js'), [], { ...env, HTTP_PORT: String(ports[i]) }, flags));
    // The scrapes also keep the highest heap and off-heap figures each instance reported: what the RSS is made of.
    const peaks = ports.map(() => new Map<string, number>());
    // With BENCH_VERBOSE, every scrape's figures too: when in the run the peak comes.
    const timeline: string[] = [];
    const benchStart = performance.now();
    const mark = (what: string) => timeline.push(`  ${((performance.now() - benchStart) / 1000).toFixed(0)} s${what}`);
    const keepPeaks = (i: number, samples: readonly MetricSample[]) => {
      for (const name of MEMORY_GAUGES) peaks[i]?.set(name, Math.max(peaks[i]?.get(name) ?? 0, sumOf(samples, name)));
      const of = (name: string) => mb(sumOf(samples, name));
      mark(`, instance ${i + 1}: rss ${of('process_resident_memory_bytes')}, heap ${of('nodejs_heap_size_used_bytes')} of ${of('nodejs_heap_size_total_bytes')}, off-heap ${of('nodejs_external_memory_bytes')}`);
    };
    const scraper = setInterval(() => ports.forEach((port, i) => void scrapeMetrics(port).then((samples) => keepPeaks(i, samples), () => undefined)), 1_000);
    try {
      // The clock starts once every instance is in both groups: joins and rebalances are start-up.
      await waitUntil(
        async () => {
          const { groups } = await admin.describeGroups([groupId, `${groupId}-merge`]);
          return groups.every((g) => g.state === 'Stable' && g.members.length === INSTANCES);
        },
        { timeoutMs: 120_000, description: `${INSTANCES} insights instance(s) in both groups`, intervalMs: 20 },
      );
      const cpu = () => instances.reduce((s, i) => s + cpuSeconds(i.pid), 0);
      mark(': every instance in both groups: measuring');
      const start = { events: await committed(admin, groupId, topics.processedLogins), at: performance.now(), cpu: cpu() };
      let end = start;
      await waitUntil(
        async () => {
          end = { events: await committed(admin, groupId, topics.processedLogins), at: performance.now(), cpu: cpu() };
          return end.events >= EVENTS;
        },
        { timeoutMs: 30 * 60_000, description: 'every input offset committed', intervalMs: 200 },
      );
      mark(': every input offset committed');
      const seconds = (end.at - start.at) / 1000;
      say(`throughput: ${round(end.events - start.events)} logins windowed in ${seconds.toFixed(2)} s → ${round((end.events - start.events) / seconds)} events/s (exactly-once, ${INSTANCES} instance(s), ${env['TOPIC_PARTITIONS']} partitions, 1m and 1h windows)`);
      // Steadier than the rate when the broker shares the cores: what the work itself costs.
      say(`cpu: insights used ${(end.cpu - start.cpu).toFixed(2)} CPU seconds meanwhile, ${(((end.cpu - start.cpu) * 1e6) / (end.events - start.events)).toFixed(2)} µs per event`);

      // The windows of the last events: the last minute and its hour.
      const lastMs = START + MINUTES * 60_000 - 1;
      const lastKeys = [`1m:${formatIsoUtc(lastMs - (lastMs % 60_000))}`, `1h:${formatIsoUtc(lastMs - (lastMs % 3_600_000))}`];
      const seen = new Map<string, number>();
      const consumer = testKafka.kafka.consumer({ groupId: `${groupId}-bench-reader` });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.loginInsights, fromBeginning: true });
      let windows = 0;
      let counted = new Map<string, number>();
      await consumer.run({
        eachMessage: async ({ message }) => {
          const result = windowInsightsSchema.parse(JSON.parse(message.value?.toString() ?? ''));
          windows++;
          counted = new Map(counted).set(result.window_size, (counted.get(result.window_size) ?? 0) + result.logins);
          const key = message.key?.toString() ?? '';
          if (lastKeys.includes(key) && !seen.has(key)) seen.set(key, performance.now());
        },
      });
      await waitUntil(() => lastKeys.every((k) => seen.has(k)), { timeoutMs: 120_000, description: 'the results of the last windows', intervalMs: 50 });
      for (const key of lastKeys) say(`delay: ${key} emitted ${((( seen.get(key) ?? 0) - end.at) / 1000).toFixed(1)} s after the last input was committed (idle close with INSIGHTS_IDLE_MS=10000, no further input)`);
      await delay(500);
      await consumer.disconnect();
      say(`results: ${windows} windows; logins counted per size: ${[...counted].map(([s, n]) => `${s} ${round(n)}`).join(', ')} (the rest of ${round(EVENTS)} are late)`);
      say(`memory: peak RSS per instance ${instances.map((i) => `${peakRssMb(i.pid)?.toFixed(0) ?? '?'} MB`).join(', ')}`);
      for (const [i, peak] of peaks.entries()) {
        say(`  instance ${i + 1}, highest of the 1 s scrapes: heap used ${mb(peak.get('nodejs_heap_size_used_bytes'))} of ${mb(peak.get('nodejs_heap_size_total_bytes'))} allocated, off-heap (Buffers) ${mb(peak.get('nodejs_external_memory_bytes'))}`);
      }
      if (process.env['BENCH_VERBOSE'] !== undefined) {
        for (const l of instances.flatMap((i) => i.lines.filter((l) => l.msg === 'stats'))) say(`  ${JSON.stringify(l)}`);
        for (const line of timeline) say(line);
      }
    } finally {
      clearInterval(scraper);
      await Promise.all(instances.map((i) => i.kill('SIGTERM')));
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
