import { createLogger } from '@login-stream/logger';
import { collectMessages, TestKafka, uniqueName, waitUntil } from '@login-stream/kafka-testing';
import { decodeDeadLetterHeaders } from '@login-stream/schema';
import { ExactlyOnceStage } from './stage';
import type { StageHandler } from './stage-handler';

const logger = createLogger({ service: 'stage-int-test', level: 'silent' });

describe('exactly-once stage against a real broker', () => {
  const testKafka = new TestKafka();
  let stage: ExactlyOnceStage<undefined> | undefined;
  afterEach(async () => {
    await stage?.stop();
    stage = undefined;
  });
  afterAll(() => testKafka.close());

  it('when the handler throws on one record, then only that record goes to the DLQ as PROCESSING_ERROR, the records before and after it are written, and the partition commits past it', async () => {
    const [input, output, dlq] = await Promise.all([testKafka.createTopic('stage-in'), testKafka.createTopic('stage-out'), testKafka.createTopic('stage-dlq')]);
    const groupId = uniqueName('stage-group');
    const handler: StageHandler<undefined> = {
      restore: async (partitions) => partitions.map(() => undefined),
      batch: () => ({
        record(message) {
          const value = String(message.value);
          if (value === 'poison') throw new TypeError(`cannot read properties of ${value}`);
          return { outputs: [{ topic: output, key: message.key, value: value.toUpperCase() }] };
        },
        committed: () => undefined,
      }),
    };
    const fatal: unknown[] = [];
    const admin = await testKafka.admin();
    stage = new ExactlyOnceStage({
      name: 'test',
      kafka: testKafka.kafka,
      admin,
      logger,
      groupId,
      inputTopic: input,
      inputPartitions: 1,
      outputTopics: [output],
      deadLetterTopic: dlq,
      transactionalIdPrefix: groupId,
      transactionTimeoutMs: 30_000,
      sessionTimeoutMs: 6_000,
      maxBytesPerPartition: 1024 * 1024,
      fetchMaxWaitMs: 100,
      fetchMinBytes: 1,
      outageTimeoutMs: 60_000,
      handler,
      onFatal: (err) => fatal.push(err),
    });
    const producer = await testKafka.producer();
    // One batch: the poison record sits between good ones of the same partition.
    await producer.send({ topic: input, messages: ['a', 'b', 'poison', 'c', 'd'].map((value) => ({ key: value, value })) });
    await stage.start();

    const written = await collectMessages(testKafka.kafka, { topic: output, count: 4 });
    expect(written.map((m) => String(m.value))).toEqual(['A', 'B', 'C', 'D']);
    const [letter] = await collectMessages(testKafka.kafka, { topic: dlq, count: 1 });
    expect(String(letter?.value)).toBe('poison');
    const info = decodeDeadLetterHeaders(letter?.headers);
    expect(info).toMatchObject({ reason: 'PROCESSING_ERROR', sourceTopic: input, sourcePartition: 0, sourceOffset: '2' });
    expect(info.errors[0]?.message).toContain('TypeError: cannot read properties of poison');
    await waitUntil(async () => (await admin.fetchOffsets({ groupId, topics: [input] }))[0]?.partitions[0]?.offset === '5', {
      timeoutMs: 30_000,
      description: 'the group to commit past all five records',
    });
    expect(fatal).toEqual([]);
  });
});
