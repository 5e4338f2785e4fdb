import { loadGroupNames, loadPipelineConfig } from '@login-stream/config';
import { pipelineEnv, startBroker, TestKafka } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { DEAD_LETTER_HEADERS, EVENT_TIME_HEADER, formatLineage, LINEAGE_HEADER } from '@login-stream/schema';
import type { Message, Producer } from 'kafkajs';
import { reconciliationReport } from '../format-report';
import { reconcile } from '../reconcile';

/**
 * `npm run bench:check`: how long `npm run check` takes on BENCH_EVENTS input records (5 % of
 * them dead-lettered), against the broker named by KAFKA_BROKERS or a local one it starts.
 * The topics are written as the processor would leave them (lineage and event-time headers,
 * processed values of a realistic size, its group's offsets at the end), without running it.
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const PARTITIONS = 3;
const CHUNK = 5_000;
const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number) => Math.round(n).toLocaleString('en-US');

const PROCESSED_VALUE = (i: number) =>
  `{"user_id":"user-${i % 50_000}","app_version":"2.4.1","device_type":"android","ip":"10.0.${i % 256}.${(i >> 8) % 256}","locale":"RU","device_id":"593-47-5928","timestamp":1694479551,"event_time":"2023-09-12T00:45:51.000Z","event_time_ms":1694479551000,"processed_at":"2026-12-01T10:00:00.000Z","source":{"topic":"user-login","partition":0,"offset":"${i}"}}`;

async function send(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  await producer.send({ topic, acks: 1, messages });
}

async function main(): Promise<void> {
  const broker = await startBroker();
  say(`broker: ${broker.kind} at ${broker.bootstrapServers}`);
  const testKafka = new TestKafka(broker.bootstrapServers.split(','));
  try {
    const env = pipelineEnv('bench-check', testKafka.brokers);
    const { topics } = loadPipelineConfig(env);
    const groups = loadGroupNames(env);
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter]) testKafka.own(t);
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [topics.userLogin, topics.processedLogins, topics.deadLetter].map((topic) => ({ topic, numPartitions: PARTITIONS })) });
    const producer = await testKafka.producer();
    say(`preloading ${round(EVENTS)} input records and their outputs…`);
    const preloadStart = performance.now();
    const next = new Array<number>(PARTITIONS).fill(0);
    for (let i = 0; i < EVENTS; i += CHUNK) {
      const input: Message[] = [];
      const processed: Message[] = [];
      const deadLetters: Message[] = [];
      for (let j = i; j < Math.min(EVENTS, i + CHUNK); j++) {
        const partition = j % PARTITIONS;
        const offset = String(next[partition]++);
        input.push({ partition, key: null, value: `{"user_id":"user-${j % 50_000}"}` });
        if (j % 20 === 0) {
          deadLetters.push({ partition, key: null, value: 'not json', headers: { [DEAD_LETTER_HEADERS.sourceTopic]: topics.userLogin, [DEAD_LETTER_HEADERS.sourcePartition]: String(partition), [DEAD_LETTER_HEADERS.sourceOffset]: offset, [DEAD_LETTER_HEADERS.reason]: 'INVALID_JSON' } });
        } else {
          processed.push({ partition, key: `user-${j % 50_000}`, value: PROCESSED_VALUE(j), headers: { [LINEAGE_HEADER]: formatLineage(topics.userLogin, partition, offset), [EVENT_TIME_HEADER]: '1694479551000' } });
        }
      }
      await Promise.all([send(producer, topics.userLogin, input), send(producer, topics.processedLogins, processed), send(producer, topics.deadLetter, deadLetters)]);
    }
    // The processor's group at the end of every partition: everything is checked, nothing in flight.
    await admin.setOffsets({ groupId: groups.routing, topic: topics.userLogin, partitions: next.map((offset, partition) => ({ partition, offset: String(offset) })) });
    say(`preloaded in ${((performance.now() - preloadStart) / 1000).toFixed(1)} s`);

    const logger = createLogger({ service: 'bench-check', level: 'warn', destination: 2 });
    const cpuBefore = process.cpuUsage();
    const result = await reconcile({ kafka: testKafka.kafka, admin, logger, topics, groups });
    const cpu = process.cpuUsage(cpuBefore);
    for (const line of reconciliationReport(result, topics.userLogin)) say(line);
    const read = result.processor.processed + result.processor.deadLettered;
    say(`check: ${round(read)} output records against ${round(result.processor.checked)} input offsets in ${result.seconds.toFixed(2)} s → ${round(read / result.seconds)} records/s; ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (preload included)`);
    if (!result.ok || result.processor.checked !== EVENTS) throw new Error('the check did not find the preloaded run clean');
  } finally {
    await testKafka.close();
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
