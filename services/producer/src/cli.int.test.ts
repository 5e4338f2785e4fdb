import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { collectMessages, TestKafka, uniqueName } from '@login-stream/kafka-testing';
import type { CollectedMessage } from '@login-stream/kafka-testing';
import { generatedMessages } from './generate/generated-messages';
import { messageCount } from './testing/produce-harness';
import { buildProducer, ProducerChild } from './testing/producer-child';

const testKafka = new TestKafka();
const children: ProducerChild[] = [];
const env = () => ({ KAFKA_BROKERS: testKafka.brokers.join(','), TOPIC_PARTITIONS: '3' });
const start = (args: string[], extraEnv: Record<string, string> = {}) => {
  const child = new ProducerChild(args, { ...env(), ...extraEnv });
  children.push(child);
  return child;
};

beforeAll(() => buildProducer(), 120_000);
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  await testKafka.close();
});

/** Values per partition in offset order: what a consumer of each partition sees. */
function perPartition(messages: CollectedMessage[]): Map<number, string[]> {
  const partitions = new Map<number, string[]>();
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  for (const m of ordered) partitions.set(m.partition, [...(partitions.get(m.partition) ?? []), `${m.key?.toString('hex')}:${m.value?.toString('hex')}`]);
  return partitions;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('producer command line against a real broker', () => {
  it('when generate --count N --seed S --start T runs twice, then both topics hold the same N events in the same order, as the generator makes them', async () => {
    const args = (topic: string) => ['generate', '--count', '2000', '--seed', '1234', '--start', '2024-05-01T12:00:00Z', '--rate', 'max', '--topic', topic];
    const [first, second] = [testKafka.own(uniqueName('generate-a')), testKafka.own(uniqueName('generate-b'))] as [string, string];
    const runs = [start(args(first)), start(args(second))];
    expect(await Promise.all(runs.map((r) => r.exitCode()))).toEqual([0, 0]);

    const [a, b] = await Promise.all([first, second].map((topic) => collectMessages(testKafka.kafka, { topic, count: 2000 })));
    expect(await messageCount(await testKafka.admin(), first)).toBe(2000);
    expect(perPartition(a ?? [])).toEqual(perPartition(b ?? []));

    const expected = [...generatedMessages({ seed: 1234, startMs: Date.parse('2024-05-01T12:00:00Z'), rate: Infinity, count: 2000, users: 10_000, badShare: 0.05, lateShare: 0.02, maxLatenessMs: 600_000 })];
    const asText = (key: Buffer | null, value: Buffer | null) => `${key?.toString('hex')}:${value?.toString('hex')}`;
    expect((a ?? []).map((m) => asText(m.key, m.value)).sort()).toEqual(expected.map((m) => asText(m.key, m.value)).sort());
    const summary = runs[0]?.lines.find((l) => l.msg === 'summary');
    expect(summary).toMatchObject({ sent: 2000, failed: 0, malformed: expected.filter((m) => m.malformed).length });
  });

  it('when SIGINT arrives mid-run, then the producer flushes, logs a summary and exits 0, and the topic holds exactly what it reports as sent', async () => {
    const topic = testKafka.own(uniqueName('interrupted'));
    const child = start(['generate', '--rate', '2000', '--topic', topic]);
    await child.waitForLog((l) => l.msg === 'producing', 'producing');
    await collectMessages(testKafka.kafka, { topic, count: 500 });

    expect(await child.kill('SIGINT')).toBe(0);
    const summary = child.lines.find((l) => l.msg === 'summary');
    expect(summary).toMatchObject({ failed: 0 });
    expect(summary?.['sent']).toBeGreaterThanOrEqual(500);
    expect(await messageCount(await testKafka.admin(), topic)).toBe(summary?.['sent']);
  });

  it('when the broker is unreachable, then the producer fails with BROKER_UNREACHABLE and a non-zero exit within 20 s', async () => {
    const startedAt = Date.now();
    const child = start(['generate', '--count', '10'], { KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` });
    expect(await child.exitCode(30_000)).not.toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(child.lines.find((l) => l.msg === 'producer failed')).toMatchObject({ code: 'BROKER_UNREACHABLE' });
  });

  it('when the replay file does not exist, then the producer fails with INPUT_UNREADABLE before connecting', async () => {
    const child = start(['replay', '/nonexistent/logins.jsonl'], { KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` });
    expect(await child.exitCode(10_000)).toBe(1);
    expect(child.lines.find((l) => l.msg === 'producer failed')).toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('when a configuration variable is invalid, then the producer exits non-zero naming it', async () => {
    const child = start(['generate'], { TOPIC_PARTITIONS: 'many' });
    expect(await child.exitCode(10_000)).toBe(1);
    expect(JSON.stringify(child.lines)).toMatch(/TOPIC_PARTITIONS/);
  });
});
