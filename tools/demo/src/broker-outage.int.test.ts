import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildPackage, pipelineEnv, ServiceChild, startLocalBroker, waitUntil } from '@login-stream/kafka-testing';
import type { LocalBroker } from '@login-stream/kafka-testing';
import { decodeDeadLetterHeaders, LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { header, readCommitted } from './testing/topic-reader';

// The services against a broker that is SIGKILLed mid-stream and started again on the same data
// directory and port. The broker is this file's own, so no other test sees the outage.

const REPO = path.resolve(__dirname, '../../..');
const PROCESSOR = path.join(REPO, 'services/login-processor/dist/main.js');
const PRODUCER = path.join(REPO, 'services/producer/dist/main.js');
/** The outage: over the two minutes the services must ride out. */
const OUTAGE_MS = 125_000;
const EVENTS = 30_000;

async function committedInput(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

const fatalLines = (child: ServiceChild) => child.lines.filter((l) => l['level'] === 'fatal');

describe('a broker outage', () => {
  let broker: LocalBroker;
  let kafka: Kafka;
  let admin: Admin;
  const children: ServiceChild[] = [];

  beforeAll(async () => {
    for (const dir of ['services/login-processor', 'services/producer']) buildPackage(path.join(REPO, dir));
    broker = await startLocalBroker();
    kafka = new Kafka({ clientId: 'outage-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }, 180_000);
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
  });
  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  const start = (name: string, script: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []) => {
    const child = new ServiceChild(name, script, args, env, nodeFlags);
    children.push(child);
    return child;
  };

  it(`when the broker is SIGKILLed mid-stream and back after ${OUTAGE_MS / 1000} s, then producer and processor carry on by themselves and every input offset is processed exactly once`, async () => {
    const env = pipelineEnv('outage', [broker.bootstrapServers], { TOPIC_PARTITIONS: '3', KAFKA_OUTAGE_TIMEOUT_MS: '180000' });
    const processor = start('processor', PROCESSOR, [], env, ['--max-semi-space-size=64']);
    await processor.waitForLog((l) => l.msg === 'login processor started', 'the processor to start', 60_000);
    const producer = start('producer', PRODUCER, ['generate', '--rate', '500', '--count', String(EVENTS), '--seed', '11'], env);
    const groupId = env['CONSUMER_GROUP_ID'];
    await waitUntil(async () => (await committedInput(admin, groupId, env['TOPIC_USER_LOGIN'])) > 2_000, { timeoutMs: 60_000, description: 'the processor to commit 2,000 logins' });

    await broker.kill();
    // The outage's length is the experiment's variable, so here a fixed wait is the point.
    await delay(OUTAGE_MS);
    await broker.restart();

    expect(await producer.exitCode(180_000)).toBe(0);
    await waitUntil(async () => (await committedInput(admin, groupId, env['TOPIC_USER_LOGIN'])) >= EVENTS, { timeoutMs: 120_000, description: 'the processor to commit every login' });

    const input = await readCommitted(kafka, admin, env['TOPIC_USER_LOGIN']);
    expect(input).toHaveLength(EVENTS); // nothing lost or sent twice by the producer
    const seen = new Map<string, number>();
    const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const m of await readCommitted(kafka, admin, env['TOPIC_PROCESSED_LOGINS'])) {
      const lineage = parseLineage(header(m, LINEAGE_HEADER) ?? '');
      count(`${lineage?.partition}:${lineage?.offset}`);
    }
    for (const m of await readCommitted(kafka, admin, env['TOPIC_DEAD_LETTER'])) {
      const info = decodeDeadLetterHeaders(m.headers);
      count(`${info.sourcePartition}:${info.sourceOffset}`);
    }
    const inputIds = input.map((m) => `${m.partition}:${m.offset}`);
    expect(inputIds.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect([...seen.keys()].filter((id) => !inputIds.includes(id))).toEqual([]);

    // The processor rode the outage out in the same process: still running, it stops cleanly.
    expect(fatalLines(processor)).toEqual([]);
    expect(await processor.kill('SIGTERM')).toBe(0);
  }, 420_000);

  it('when the broker stays away past KAFKA_OUTAGE_TIMEOUT_MS, then producer and processor exit non-zero with BROKER_UNREACHABLE', async () => {
    const env = pipelineEnv('outage', [broker.bootstrapServers], { TOPIC_PARTITIONS: '3', KAFKA_OUTAGE_TIMEOUT_MS: '5000' });
    const processor = start('processor', PROCESSOR, [], env);
    await processor.waitForLog((l) => l.msg === 'login processor started', 'the processor to start', 60_000);
    const producer = start('producer', PRODUCER, ['generate', '--rate', '200'], env);
    const groupId = env['CONSUMER_GROUP_ID'];
    await waitUntil(async () => (await committedInput(admin, groupId, env['TOPIC_USER_LOGIN'])) > 200, { timeoutMs: 60_000, description: 'the processor to commit 200 logins' });

    await broker.kill();
    try {
      expect(await producer.exitCode(120_000)).toBe(1);
      expect(await processor.exitCode(120_000)).toBe(1);
    } finally {
      await broker.restart();
    }
    const failure = (child: ServiceChild) => child.lines.find((l) => l['level'] === 'fatal' || l.msg === 'producer failed');
    expect((failure(producer)?.['err'] as { code?: string } | undefined)?.code).toBe('BROKER_UNREACHABLE');
    expect((failure(processor)?.['err'] as { code?: string } | undefined)?.code).toBe('BROKER_UNREACHABLE');
  }, 300_000);
});
