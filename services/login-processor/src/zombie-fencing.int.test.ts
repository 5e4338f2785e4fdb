import { LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import { classifyFailure } from '@login-stream/errors';
import { loadPipelineConfig } from '@login-stream/config';
import { createKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { collectMessages, pipelineEnv, TestKafka, uniqueName, waitUntil } from '@login-stream/kafka-testing';
import { LoginProcessor } from './login-processor';
import { loadProcessorConfig } from './processor-config';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { readCommitted } from './testing/read-topic';

const login = (user: string) =>
  JSON.stringify({ user_id: user, app_version: '2.3.0', device_type: 'android', ip: '10.0.0.1', locale: 'RU', device_id: 'd', timestamp: '1694479551' });

describe('zombie fencing by transactional id', () => {
  const testKafka = new TestKafka();
  let processor: LoginProcessor | undefined;
  const quietProducers: Producer[] = [];
  afterEach(async () => {
    await Promise.allSettled(quietProducers.splice(0).map((p) => p.disconnect()));
    await processor?.stop();
    processor = undefined;
  });
  afterAll(() => testKafka.close());

  it('when a second producer initializes the same transactional id, then the first one’s open transaction is aborted, its commit is rejected as fenced and its records stay invisible', async () => {
    const topic = await testKafka.createTopic('fencing', 1);
    const transactionalId = uniqueName('lane');
    // Their own client, silent: the broker's fencing answers are the point here, not errors to log.
    const quiet = new Kafka({ clientId: 'zombie-test', brokers: [...testKafka.brokers], logLevel: logLevel.NOTHING });
    const zombie = quiet.producer({ transactionalId, maxInFlightRequests: 1 });
    const owner = quiet.producer({ transactionalId, maxInFlightRequests: 1 });
    quietProducers.push(zombie, owner);
    await zombie.connect();
    const zombieTxn = await zombie.transaction();
    await zombieTxn.send({ topic, messages: [{ value: 'from the zombie' }] });

    await owner.connect();
    const ownerTxn = await owner.transaction();
    await ownerTxn.send({ topic, messages: [{ value: 'from the new owner' }] });
    await ownerTxn.commit();

    const rejected = await zombieTxn.commit().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(rejected).toBeDefined();
    expect(classifyFailure(rejected)).toBe('fenced');
    const admin = await testKafka.admin();
    expect((await readCommitted(testKafka.kafka, admin, topic)).map((m) => m.value?.toString())).toEqual(['from the new owner']);
  });

  it('when another instance takes over an input partition’s transactional id, then this instance stops writing for that partition and keeps the others going', async () => {
    const env = pipelineEnv('zombie', testKafka.brokers, { TOPIC_PARTITIONS: '2' });
    const pipeline = loadPipelineConfig(env);
    const { topics } = pipeline;
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: 2 }] });
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ service: 'zombie-test', level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const config = loadProcessorConfig(env);
    // The service's own client: kafkajs logs go to the captured logger, as in production.
    const kafka = createKafka({ ...pipeline.kafka, brokers: testKafka.brokers }, logger);
    processor = new LoginProcessor({ kafka, logger, pipeline, config, onFatal: () => undefined });
    await processor.start();

    const producer = await testKafka.producer();
    const send = (partition: number, tag: string) =>
      producer.send({ topic: topics.userLogin, messages: Array.from({ length: 5 }, (_, i) => ({ partition, value: login(`${tag}-${i}`) })) });
    await Promise.all([send(0, 'before-p0'), send(1, 'before-p1')]);
    await collectMessages(testKafka.kafka, { topic: topics.processedLogins, count: 10 });

    // A new owner of input partition 0 initializes its transactional id, fencing this instance.
    const newOwner = await testKafka.producer({ transactionalId: `${config.transactionalIdPrefix}-${topics.userLogin}-0`, maxInFlightRequests: 1 });
    await (await newOwner.transaction()).abort();
    await Promise.all([send(0, 'after-p0'), send(1, 'after-p1')]);

    await waitUntil(() => lines.some((l) => l['msg'] === 'partition fenced by another instance; paused until the next rebalance' && l['partition'] === 0), {
      timeoutMs: 30_000,
      description: 'the processor to report partition 0 fenced',
    });
    await collectMessages(testKafka.kafka, { topic: topics.processedLogins, count: 15 });
    const processed = await readCommitted(testKafka.kafka, admin, topics.processedLogins);
    const users = processed.map((m) => m.key?.toString()).sort();
    expect(users.filter((u) => u?.startsWith('after-p1'))).toHaveLength(5);
    expect(users.filter((u) => u?.startsWith('after-p0'))).toEqual([]);
    expect(processed.filter((m) => parseLineage(String(m.headers[LINEAGE_HEADER]))?.partition === 0)).toHaveLength(5);
    // Partition 0's group offset did not move past what was committed before the fencing.
    const [offsets] = await admin.fetchOffsets({ groupId: config.groupId, topics: [topics.userLogin] });
    expect(offsets?.partitions.find((p) => p.partition === 0)?.offset).toBe('5');
  });
});
