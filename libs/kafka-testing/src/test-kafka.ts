import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Consumer, ConsumerConfig, Producer, ProducerConfig } from 'kafkajs';
import { uniqueName } from './unique-name';
import { waitUntil } from './wait-for';

/**
 * A kafkajs client for one test file that owns cleanup: every admin, producer and consumer it
 * hands out is disconnected by `close()`, and every topic made with `createTopic` is deleted.
 */
export class TestKafka {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  private readonly clients: Array<Admin | Producer | Consumer> = [];
  private readonly topics: string[] = [];
  private adminClient: Admin | undefined;

  constructor(brokers: readonly string[] = TestKafka.brokersFromEnv()) {
    this.brokers = brokers;
    this.kafka = new Kafka({ clientId: uniqueName('test'), brokers: [...brokers], logLevel: logLevel.ERROR });
  }

  /** The broker the jest global setup started (or the one KAFKA_BROKERS names). */
  static brokersFromEnv(): string[] {
    const value = process.env['KAFKA_BROKERS'];
    if (!value) throw new Error('KAFKA_BROKERS is not set: run integration tests through jest (the global setup starts a broker)');
    return value.split(',').map((b) => b.trim());
  }

  async admin(): Promise<Admin> {
    if (this.adminClient === undefined) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.clients.push(admin);
      this.adminClient = admin;
    }
    return this.adminClient;
  }

  async producer(config?: ProducerConfig): Promise<Producer> {
    const producer = this.kafka.producer(config);
    await producer.connect();
    this.clients.push(producer);
    return producer;
  }

  consumer(config: Partial<ConsumerConfig> = {}): Consumer {
    const consumer = this.kafka.consumer({ groupId: uniqueName('group'), maxWaitTimeInMs: 100, ...config });
    this.clients.push(consumer);
    return consumer;
  }

  /** Creates a uniquely named topic, waiting for its leaders; deleted again by `close()`. */
  async createTopic(prefix: string, partitions = 1, configs: Readonly<Record<string, string>> = {}): Promise<string> {
    const topic = uniqueName(prefix);
    const admin = await this.admin();
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    });
    this.topics.push(topic);
    // kafkajs' own wait for leaders gives up when the broker does not know the topic yet
    // (UNKNOWN_TOPIC_OR_PARTITION), which a broker in a container answers for a moment.
    await waitUntil(
      async () => {
        try {
          const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
          return metadata.partitions.length === partitions && metadata.partitions.every((p) => p.leader >= 0);
        } catch (err) {
          // Not there yet; any other error is a real one.
          if ((err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION' || (err as { type?: string }).type === 'LEADER_NOT_AVAILABLE') return false;
          throw err;
        }
      },
      { timeoutMs: 30_000, intervalMs: 50, description: `leaders for the ${partitions} partition(s) of ${topic}` },
    );
    return topic;
  }

  /** Registers a topic made elsewhere (e.g. by the code under test) for deletion. */
  own(topic: string): string {
    this.topics.push(topic);
    return topic;
  }

  async close(): Promise<void> {
    if (this.topics.length > 0 && this.adminClient !== undefined) {
      // An owned topic may never have been made (the code under test failed first); deleting it
      // would fail and hide that failure.
      const existing = new Set(await this.adminClient.listTopics());
      const topics = this.topics.filter((t) => existing.has(t));
      if (topics.length > 0) await this.adminClient.deleteTopics({ topics });
    }
    await Promise.allSettled(this.clients.reverse().map((c) => c.disconnect()));
  }
}
