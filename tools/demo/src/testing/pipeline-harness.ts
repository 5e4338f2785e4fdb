import path from 'node:path';
import { loadPipelineConfig } from '@login-stream/config';
import type { TopicNames } from '@login-stream/config';
import { buildPackage, pipelineEnv, ServiceChild, startScriptNodeFlags, TestKafka, waitUntil } from '@login-stream/kafka-testing';
import { windowInsightsSchema } from '@login-stream/schema';
import type { WindowInsights } from '@login-stream/schema';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { readCommitted } from './topic-reader';
import type { TopicRecord } from './topic-reader';

const REPO = path.resolve(__dirname, '../../../..');
const SERVICE_DIRS = {
  processor: path.join(REPO, 'services/login-processor'),
  insights: path.join(REPO, 'services/insights'),
  producer: path.join(REPO, 'services/producer'),
  dashboard: path.join(REPO, 'services/dashboard'),
} as const;

/** Compiles the services the pipeline tests run as children. */
export function buildServices(): void {
  for (const dir of Object.values(SERVICE_DIRS)) buildPackage(dir);
}

/**
 * One pipeline of fresh topics and groups on a test broker: its services as children (killed
 * by `close`), what it wrote read back read_committed.
 */
export class PipelineUnderTest {
  readonly env: Record<string, string>;
  readonly topics: TopicNames;
  readonly children: ServiceChild[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    brokers: readonly string[],
    prefix: string,
    overrides: Readonly<Record<string, string>> = {},
  ) {
    this.env = pipelineEnv(prefix, brokers, { INSIGHTS_IDLE_MS: '4000', ...overrides });
    this.topics = loadPipelineConfig(this.env).topics;
  }

  /** Every topic the pipeline's services create, for the test's cleanup. */
  get ownedTopics(): string[] {
    const t = this.topics;
    return [t.userLogin, t.processedLogins, t.deadLetter, t.userSummary, t.loginInsights, t.loginInsightsLate, `${this.env['INSIGHTS_GROUP_ID']}-partials`];
  }

  /** A service as `npm start` runs it: `node <its flags> dist/main.js <args>`. */
  start(name: keyof typeof SERVICE_DIRS, args: readonly string[] = [], env: Readonly<Record<string, string>> = {}): ServiceChild {
    const dir = SERVICE_DIRS[name];
    const child = new ServiceChild(name, path.join(dir, 'dist/main.js'), args, { ...this.env, ...env }, startScriptNodeFlags(dir));
    this.children.push(child);
    return child;
  }

  /** The processor, once both its stages are ready. */
  async startProcessor(env: Readonly<Record<string, string>> = {}): Promise<ServiceChild> {
    const child = this.start('processor', [], env);
    await child.waitForLog((l) => l.msg === 'login processor started', 'the processor to start');
    return child;
  }

  /** An insights instance, once it has joined both groups. */
  async startInsights(env: Readonly<Record<string, string>> = {}): Promise<ServiceChild> {
    const child = this.start('insights', [], env);
    await child.waitForLog((l) => l.msg === 'insights started', 'insights to start');
    return child;
  }

  async produce(producer: Producer, values: readonly Buffer[]): Promise<void> {
    for (let i = 0; i < values.length; i += 2_000) {
      await producer.send({ topic: this.topics.userLogin, acks: -1, messages: values.slice(i, i + 2_000).map((value) => ({ key: null, value })) });
    }
  }

  read(topic: string): Promise<TopicRecord[]> {
    return readCommitted(this.kafka, this.admin, topic);
  }

  /** Waits until processed-logins holds `count` records; returns them. */
  async waitForProcessed(count: number, timeoutMs = 90_000): Promise<TopicRecord[]> {
    let processed: TopicRecord[] = [];
    await waitUntil(
      async () => {
        processed = await this.read(this.topics.processedLogins);
        return processed.length >= count;
      },
      { timeoutMs, intervalMs: 500, description: `${count} records on ${this.topics.processedLogins}` },
    );
    return processed;
  }

  /** Every result on login-insights, parsed by the contract's schema, by key. */
  async results(): Promise<Map<string, WindowInsights[]>> {
    const byKey = new Map<string, WindowInsights[]>();
    for (const m of await this.read(this.topics.loginInsights)) {
      const key = m.key?.toString() ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), windowInsightsSchema.parse(JSON.parse(m.value?.toString() ?? ''))]);
    }
    return byKey;
  }

  /** Waits until login-insights holds a result for each of `keys`, then returns them all. */
  async waitForResults(keys: Iterable<string>, timeoutMs = 90_000): Promise<Map<string, WindowInsights[]>> {
    const wanted = [...keys];
    let results = new Map<string, WindowInsights[]>();
    await waitUntil(
      async () => {
        results = await this.results();
        return wanted.every((k) => results.has(k));
      },
      { timeoutMs, intervalMs: 1_000, description: `${wanted.length} window results on ${this.topics.loginInsights}` },
    );
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.children.splice(0).map((c) => c.kill('SIGKILL')));
  }
}

/**
 * A test file's pipelines on the shared test broker: `pipeline()` makes one (its user-login of
 * one partition, so logins reach processed-logins in the order sent), `closeAll()` kills their
 * services, and the topics go with the TestKafka.
 */
export class PipelineFixture {
  readonly testKafka = new TestKafka();
  private admin: Admin | undefined;
  private readonly pipelines: PipelineUnderTest[] = [];

  async pipeline(prefix: string, overrides: Readonly<Record<string, string>> = {}): Promise<PipelineUnderTest> {
    const admin = (this.admin ??= await this.testKafka.admin());
    const p = new PipelineUnderTest(this.testKafka.kafka, admin, this.testKafka.brokers, prefix, overrides);
    for (const t of p.ownedTopics) this.testKafka.own(t);
    this.pipelines.push(p);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: p.topics.userLogin, numPartitions: 1 }] });
    return p;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.pipelines.splice(0).map((p) => p.close()));
  }

  async close(): Promise<void> {
    await this.closeAll();
    await this.testKafka.close();
  }
}

/** A result as the oracle states it: without emitted_at. */
export function withoutEmittedAt({ emitted_at: _at, ...rest }: WindowInsights): Record<string, unknown> {
  return rest;
}
