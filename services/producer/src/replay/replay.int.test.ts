import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectMessages, TestKafka, uniqueName } from '@login-stream/kafka-testing';
import type { CollectedMessage } from '@login-stream/kafka-testing';
import { produce } from '../run/produce';
import { messageCount, produceContext } from '../testing/produce-harness';
import { parseFieldMappings } from './field-mapping';
import { replayedMessages } from './replayed-messages';

const testKafka = new TestKafka();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'producer-replay-'));
});
afterAll(async () => {
  await testKafka.close();
  await rm(dir, { recursive: true, force: true });
});

const logins = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    user_id: `user-${i % 37}`,
    app_version: '2.4.0',
    device_type: i % 3 === 0 ? 'iOS' : 'android',
    ip: `10.0.${i % 256}.${(i * 7) % 256}`,
    locale: 'US',
    device_id: `device-${i % 51}`,
    timestamp: 1_714_564_800 + i,
    seq: i,
  }));

async function replay(name: string, content: string | Buffer, mappings = '') {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const topic = testKafka.own(uniqueName('replay'));
  const summary = await produce(await replayedMessages(file, parseFieldMappings(mappings)), { rate: Infinity, batchMessages: 100 }, produceContext(testKafka.brokers, topic));
  return { topic, summary };
}

const parsed = (messages: CollectedMessage[]) => messages.map((m) => JSON.parse(m.value?.toString() ?? 'null') as Record<string, unknown>);
const bySeq = (values: Record<string, unknown>[]) => [...values].sort((a, b) => (a['seq'] as number) - (b['seq'] as number));

/** Every message of the topic, and a check that there are no more than expected. */
async function topicHolds(topic: string, count: number): Promise<CollectedMessage[]> {
  const messages = await collectMessages(testKafka.kafka, { topic, count, timeoutMs: 30_000 });
  expect(await messageCount(await testKafka.admin(), topic)).toBe(count);
  return messages;
}

describe('replay against a real broker', () => {
  it('when a JSON Lines file of N records is replayed, then the topic holds exactly N messages keyed by user_id with the input as value, in order per user', async () => {
    const input = logins(1_000);
    const { topic, summary } = await replay('logins.jsonl', input.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(summary).toMatchObject({ sent: 1_000, failed: 0, malformed: 0 });

    const messages = await topicHolds(topic, 1_000);
    for (const m of messages) expect(m.key?.toString()).toBe((JSON.parse(m.value?.toString() ?? '{}') as { user_id: string }).user_id);
    expect(bySeq(parsed(messages))).toEqual(input);
    for (const user of new Set(input.map((l) => l.user_id))) {
      const ofUser = messages.filter((m) => m.key?.toString() === user);
      expect(new Set(ofUser.map((m) => m.partition)).size).toBe(1);
      const seqs = parsed(ofUser).map((v) => v['seq'] as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('when frames use other field names, then --map renames them before sending', async () => {
    const frames = logins(50).map(({ user_id, timestamp, ...rest }) => ({ uid: user_id, ts: timestamp, ...rest }));
    const { topic } = await replay('frames.jsonl', frames.map((f) => JSON.stringify(f)).join('\n'), 'user_id=uid,timestamp=ts');
    const messages = await topicHolds(topic, 50);
    expect(bySeq(parsed(messages))).toEqual(
      logins(50).map(({ user_id, timestamp, ...rest }) => ({ user_id, timestamp, ...rest })),
    );
    expect(messages.every((m) => m.key?.toString().startsWith('user-'))).toBe(true);
  });

  it('when the file is gzip-compressed JSON Lines, then it replays the same', async () => {
    const input = logins(300);
    const { topic, summary } = await replay('logins.jsonl.gz', gzipSync(input.map((l) => JSON.stringify(l)).join('\n')));
    expect(summary.sent).toBe(300);
    expect(bySeq(parsed(await topicHolds(topic, 300)))).toEqual(input);
  });

  it('when the file is a JSON array, plain or gzip, then each element is one message', async () => {
    const input = logins(200);
    const plain = await replay('logins.json', JSON.stringify(input, null, 2));
    const gzip = await replay('logins.json.gz', gzipSync(JSON.stringify(input)));
    expect(bySeq(parsed(await topicHolds(plain.topic, 200)))).toEqual(input);
    expect(bySeq(parsed(await topicHolds(gzip.topic, 200)))).toEqual(input);
  });

  it('when a line is larger than the topic takes, then that line alone is left out and counted, and the rest is sent', async () => {
    const input = logins(50);
    const huge = JSON.stringify({ user_id: 'user-huge', pad: 'x'.repeat(1_100_000) });
    const lines = input.map((l) => JSON.stringify(l));
    lines.splice(20, 0, huge);
    const { topic, summary } = await replay('huge.jsonl', `${lines.join('\n')}\n`);
    expect(summary).toMatchObject({ sent: 50, failed: 0, tooLarge: 1 });
    expect(bySeq(parsed(await topicHolds(topic, 50)))).toEqual(input);
  });

  it('when the topic takes smaller record batches than a send would hold, then sends are cut to its max.message.bytes and everything arrives', async () => {
    const input = logins(2_000);
    const file = path.join(dir, 'small-batches.jsonl');
    await writeFile(file, `${input.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const topic = testKafka.own(uniqueName('replay-small'));
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] }] });
    const summary = await produce(await replayedMessages(file, []), { rate: Infinity, batchMessages: 2_000 }, produceContext(testKafka.brokers, topic, 1));
    expect(summary).toMatchObject({ sent: 2_000, failed: 0, tooLarge: 0 });
    expect(bySeq(parsed(await topicHolds(topic, 2_000)))).toEqual(input);
  });

  it('when some lines are not JSON, then they are still sent, unkeyed and byte for byte, and counted as malformed', async () => {
    const input = logins(100);
    const broken = [Buffer.from('{"user_id": "user-1", "app_ver'), Buffer.from('not json at all'), Buffer.from([0xff, 0xfe, 0x00, 0x7b])];
    const lines: Buffer[] = input.map((l) => Buffer.from(JSON.stringify(l)));
    lines.splice(10, 0, broken[0] as Buffer);
    lines.splice(50, 0, broken[1] as Buffer);
    lines.push(broken[2]);
    const { topic, summary } = await replay('broken.jsonl', Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    expect(summary).toMatchObject({ sent: 103, failed: 0, malformed: 3 });

    const messages = await topicHolds(topic, 103);
    const unkeyed = messages.filter((m) => m.key === null);
    expect(unkeyed.map((m) => m.value)).toEqual(expect.arrayContaining(broken));
    expect(unkeyed).toHaveLength(3);
    expect(bySeq(messages.filter((m) => m.key !== null).map((m) => JSON.parse(m.value?.toString() ?? '') as Record<string, unknown>))).toEqual(input);
  });
});
