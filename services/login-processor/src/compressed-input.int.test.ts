import { loadPipelineConfig } from '@login-stream/config';
import { pipelineEnv, runConsoleProducer, TestKafka } from '@login-stream/kafka-testing';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { mixedLogins } from './testing/login-events';
import { actualOutputs, expectedOutputs, singleOutputs } from './testing/pipeline-oracle';
import { useProcessorChildren } from './testing/processor-children';
import { readCommitted } from './testing/read-topic';
import { settledRun } from './testing/verify-pipeline';

const EVENTS = 400;
const TYPES = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD } as const;

/** Counts the batches this process decompresses, per codec: what it reads was written compressed. */
type Codec = { compress: (e: unknown) => Promise<Buffer>; decompress: (b: Buffer) => Promise<Buffer> };
const decompressed = new Map<CompressionTypes, number>();
const registry = CompressionCodecs as Record<CompressionTypes, () => Codec>;
for (const type of Object.values(TYPES)) {
  const original = registry[type];
  registry[type] = () => {
    const codec = original();
    return { compress: (e) => codec.compress(e), decompress: (b) => (decompressed.set(type, (decompressed.get(type) ?? 0) + 1), codec.decompress(b)) };
  };
}

describe('compressed input and output', () => {
  const testKafka = new TestKafka();
  const processors = useProcessorChildren();
  afterAll(() => testKafka.close());

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
    'when the Java console producer writes %s-compressed batches, then they are processed like plain ones, and the processor compresses its own output with that codec',
    async (codec) => {
      const env = pipelineEnv(`codec-${codec}`, testKafka.brokers, { TOPIC_PARTITIONS: '2', KAFKA_COMPRESSION: codec });
      const { topics } = loadPipelineConfig(env);
      for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
      const admin = await testKafka.admin();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: 2 }] });
      // JSON lines only: the console producer sends one value per line.
      const lines = mixedLogins({ count: EVENTS, users: 30, badShare: 0.1, seed: 5 }).map((l) => l.value.toString('utf8')).filter((l) => !l.includes('\n') && !l.includes('\ufffd'));
      await runConsoleProducer({ bootstrapServers: testKafka.brokers.join(','), topic: topics.userLogin, lines, compression: codec });

      const child = processors.start(env);
      const run = await settledRun(testKafka.kafka, admin, topics, env['CONSUMER_GROUP_ID']);
      expect(run.input.map((m) => m.value?.toString())).toEqual(expect.arrayContaining(lines));
      expect(run.input).toHaveLength(lines.length);
      expect(singleOutputs(actualOutputs(run.processed, run.deadLetters, topics.userLogin))).toEqual(expectedOutputs(run.input, topics.userLogin, DEFAULT_LOGIN_RULES));
      expect(run.summaries.length).toBeGreaterThan(0);

      // The processor's own output (KAFKA_COMPRESSION) comes back through the same codec.
      decompressed.clear();
      expect(await readCommitted(testKafka.kafka, admin, topics.processedLogins)).toHaveLength(run.processed.length);
      expect(decompressed.get(TYPES[codec]) ?? 0).toBeGreaterThan(0);
      expect(await child.kill('SIGTERM')).toBe(0);
    },
    120_000,
  );
});
