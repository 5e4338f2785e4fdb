import { createLogger } from '@login-stream/logger';
import { collectMessages, TestKafka, uniqueName } from '@login-stream/kafka-testing';
import { createKafka } from './create-kafka';
import { ensureTopics } from './ensure-topics';

const logger = createLogger({ service: 'kafka-int-test', level: 'silent' });

describe('libs/kafka against a real broker', () => {
  const testKafka = new TestKafka();
  afterAll(() => testKafka.close());

  it('when ensureTopics runs, then each topic exists with its partitions and configs, and a second run changes nothing', async () => {
    const admin = await testKafka.admin();
    const plain = testKafka.own(uniqueName('ensure-plain'));
    const compacted = testKafka.own(uniqueName('ensure-compacted'));
    const specs = [
      { name: plain, partitions: 6, replicationFactor: -1 },
      { name: compacted, partitions: 3, replicationFactor: -1, configs: { 'cleanup.policy': 'compact' } },
    ];

    await ensureTopics(admin, specs, { logger });
    await ensureTopics(admin, specs, { logger });

    const { topics } = await admin.fetchTopicMetadata({ topics: [plain, compacted] });
    const byName = new Map(topics.map((t) => [t.name, t]));
    expect(byName.get(plain)?.partitions).toHaveLength(6);
    expect(byName.get(compacted)?.partitions).toHaveLength(3);
    for (const t of topics) for (const p of t.partitions) expect(p.leader).toBeGreaterThanOrEqual(0);

    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: compacted, configNames: ['cleanup.policy'] }],
    });
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  it('when another service has just created the topics and their leaders are not elected yet, then ensureTopics waits for them instead of failing', async () => {
    // One client each, as separate processes have: neither sees the other's metadata.
    const [creator, ensurer] = [testKafka.kafka.admin(), testKafka.kafka.admin()];
    try {
      await Promise.all([creator.connect(), ensurer.connect()]);
      for (let round = 0; round < 5; round++) {
        const specs = Array.from({ length: 4 }, (_, i) => ({ name: testKafka.own(uniqueName(`ensure-race-${round}-${i}`)), partitions: 12, replicationFactor: -1 }));
        await creator.createTopics({ waitForLeaders: false, topics: specs.map((s) => ({ topic: s.name, numPartitions: s.partitions })) });
        await expect(ensureTopics(ensurer, specs, { logger })).resolves.toBeUndefined();
      }
    } finally {
      await Promise.all([creator.disconnect(), ensurer.disconnect()]);
    }
  });

  it('when two services ensure the same new topics at once (processor and insights starting together), then both return with every partition led', async () => {
    const admins = [testKafka.kafka.admin(), testKafka.kafka.admin()];
    try {
      await Promise.all(admins.map((a) => a.connect()));
      for (let round = 0; round < 5; round++) {
        const specs = Array.from({ length: 4 }, (_, i) => ({ name: testKafka.own(uniqueName(`ensure-both-${round}-${i}`)), partitions: 12, replicationFactor: -1 }));
        await Promise.all(admins.map((a) => ensureTopics(a, specs, { logger })));
        const { topics } = await admins[0].fetchTopicMetadata({ topics: specs.map((s) => s.name) });
        const led = new Map(topics.map((t) => [t.name, t.partitions.filter((p) => p.leader >= 0).length]));
        expect(specs.map((s) => [s.name, led.get(s.name)])).toEqual(specs.map((s) => [s.name, 12]));
      }
    } finally {
      await Promise.all(admins.map((a) => a.disconnect()));
    }
  });

  it('when messages are produced through createKafka, then a consumer reads the same keys and values in order per key', async () => {
    const topic = await testKafka.createTopic('round-trip', 3);
    const kafka = createKafka(
      { brokers: testKafka.brokers, clientId: 'round-trip', ssl: false, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 },
      logger,
    );
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `user-${i % 5}`, value: JSON.stringify({ seq: i }) }));
    try {
      await producer.send({ topic, acks: -1, messages: sent });
    } finally {
      await producer.disconnect();
    }

    const received = await collectMessages(testKafka.kafka, { topic, count: sent.length });

    const asText = received.map((m) => ({ key: m.key?.toString(), value: m.value?.toString() }));
    expect(asText).toHaveLength(sent.length);
    expect(new Set(asText.map((m) => `${m.key}=${m.value}`))).toEqual(new Set(sent.map((m) => `${m.key}=${m.value}`)));
    for (const key of new Set(sent.map((m) => m.key))) {
      const seqs = asText.filter((m) => m.key === key).map((m) => (JSON.parse(m.value ?? '{}') as { seq: number }).seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});
