import { loadPipelineConfig } from '@login-stream/config';
import { pipelineEnv, TestKafka, waitUntil } from '@login-stream/kafka-testing';
import { decodeDeadLetterHeaders } from '@login-stream/schema';
import type { Admin } from 'kafkajs';
import { groupCaughtUp } from './testing/group-progress';
import type { ProcessorChild } from './testing/processor-child';
import { useProcessorChildren } from './testing/processor-children';
import { readCommitted } from './testing/read-topic';

const login = (user: string, extra: Record<string, unknown> = {}) => ({
  user_id: user,
  app_version: '2.3.0',
  device_type: 'android',
  ip: '10.0.0.1',
  locale: 'RU',
  device_id: 'd',
  timestamp: 1694479551,
  ...extra,
});
/** A valid login whose JSON is exactly `bytes` long. */
function loginOfSize(user: string, bytes: number): string {
  const bare = JSON.stringify(login(user, { pad: '' }));
  return JSON.stringify(login(user, { pad: 'x'.repeat(bytes - bare.length) }));
}
const deepLogin = (user: string) => `${JSON.stringify(login(user)).slice(0, -1)},"nested":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

async function isRunning(child: ProcessorChild): Promise<boolean> {
  return Promise.race([child.exited.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))]);
}

describe('records that cannot be processed or written', () => {
  const testKafka = new TestKafka();
  const processors = useProcessorChildren();
  afterAll(() => testKafka.close());

  async function startPipeline(prefix: string, topicConfigs: { input?: Record<string, string>; deadLetter?: Record<string, string> } = {}) {
    const env = pipelineEnv(prefix, testKafka.brokers, { TOPIC_PARTITIONS: '1' });
    const { topics } = loadPipelineConfig(env);
    for (const t of [topics.processedLogins, topics.userSummary]) testKafka.own(t);
    const admin = await testKafka.admin();
    // Made here, before the processor, with their own limits; the processor leaves existing topics as they are.
    for (const [topic, configs] of [[topics.userLogin, topicConfigs.input], [topics.deadLetter, topicConfigs.deadLetter]] as const) {
      testKafka.own(topic);
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, configEntries: Object.entries(configs ?? {}).map(([name, value]) => ({ name, value })) }] });
    }
    const child = processors.start(env);
    await child.waitUntilReady();
    return { env, topics, admin, child, groupId: env['CONSUMER_GROUP_ID'] };
  }

  async function settle(admin: Admin, groupId: string, topic: string): Promise<void> {
    await waitUntil(() => groupCaughtUp(admin, groupId, topic), { timeoutMs: 60_000, description: `${groupId} to commit every offset of ${topic}` });
  }

  it('when one batch holds an over-size output, an over-size dead letter and a login nested 100k deep between valid logins, then each poison record is dead-lettered with its code, the others are processed, and the processor keeps running', async () => {
    const { topics, admin, child, groupId } = await startPipeline('poison', {
      input: { 'max.message.bytes': String(2 * 1024 * 1024) },
      deadLetter: { 'max.message.bytes': String(1536 * 1024) },
    });
    const producer = await testKafka.producer();
    const bigLogin = loginOfSize('big', 1_048_480);
    const bigJunk = Buffer.alloc(1_600_000, 0x7b); // '{{{…': not JSON, and too large for the DLQ with its headers
    const values: Array<string | Buffer> = [JSON.stringify(login('before')), bigLogin, JSON.stringify(login('middle')), deepLogin('deep'), bigJunk, JSON.stringify(login('after'))];
    // One record per request (the broker takes up to 2 MiB on this topic), all on partition 0, read in one fetch.
    for (const value of values) await producer.send({ topic: topics.userLogin, messages: [{ key: 'k', value, partition: 0 }] });

    await settle(admin, groupId, topics.userLogin);
    const processed = await readCommitted(testKafka.kafka, admin, topics.processedLogins);
    expect(processed.map((m) => String(m.key))).toEqual(['before', 'middle', 'after']);

    const letters = await readCommitted(testKafka.kafka, admin, topics.deadLetter);
    const infos = letters.map((m) => decodeDeadLetterHeaders(m.headers));
    expect(infos.map((i) => [i.sourceOffset, i.reason])).toEqual([
      ['1', 'RECORD_TOO_LARGE'],
      ['3', 'NESTING_TOO_DEEP'],
      ['4', 'NOT_JSON'],
    ]);
    // The over-size login's dead letter holds it whole; the 1.6 MB one holds its first bytes and says how large it was.
    expect(letters[0]?.value?.equals(Buffer.from(bigLogin))).toBe(true);
    expect(infos[0]?.truncated).toBeUndefined();
    expect(infos[2]?.truncated).toEqual({ keyBytes: 1, valueBytes: 1_600_000 });
    const kept = letters[2]?.value as Buffer;
    expect(kept.length).toBeGreaterThan(1_500_000);
    expect(kept.equals(bigJunk.subarray(0, kept.length))).toBe(true);

    expect(await isRunning(child)).toBe(true);
    expect(child.lines.filter((l) => l['level'] === 'error' || l['level'] === 'fatal')).toEqual([]);
    expect(await child.kill('SIGTERM')).toBe(0);
  });

  it('when user-summary holds a record restore cannot read, then the processor stops with STATE_RESTORE_FAILED naming its offset instead of resetting that user', async () => {
    const env = pipelineEnv('unreadable', testKafka.brokers, { TOPIC_PARTITIONS: '1' });
    const { topics } = loadPipelineConfig(env);
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userSummary, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const producer = await testKafka.producer();
    // A summary with first_seen_ms 0, as an earlier processor wrote for a 0.0004 s timestamp.
    const summary = { user_id: 'u', first_seen: '1970-01-01T00:00:00.000Z', last_seen: '2023-09-12T00:45:51.000Z', first_seen_ms: 0, last_seen_ms: 1694479551000 };
    await producer.send({ topic: topics.userSummary, messages: [{ key: 'u', value: JSON.stringify(summary), partition: 0 }] });

    const child = processors.start(env);
    expect(await child.exitCode(60_000)).toBe(1);
    const fatal = child.lines.find((l) => l['level'] === 'fatal');
    expect(fatal?.['err']).toMatchObject({ code: 'STATE_RESTORE_FAILED', message: expect.stringMatching(new RegExp(`${topics.userSummary} partition 0 offset 0 cannot be restored: .*first_seen_ms`)) });
  });

  it('when event times round to 0 ms or name days that do not exist, user ids hold lone surrogates, and fields are named __proto__ and constructor, then each is answered exactly, and a restarted processor keeps every first_seen', async () => {
    const { env, topics, admin, child, groupId } = await startPipeline('exact');
    const producer = await testKafka.producer();
    const raw = [
      JSON.stringify(login('tiny-time', { timestamp: 0.0004 })),
      JSON.stringify(login('tiny-time-text', { timestamp: '0.0004' })),
      JSON.stringify(login('feb-30', { timestamp: '2024-02-30T00:00:00Z' })),
      // Two ids that differ only in their lone surrogates: as UTF-8 keys they would be one.
      `{"user_id":"dup\\ud800","app_version":"2.3.0","device_type":"iOS","ip":"10.0.0.1","locale":"RU","device_id":"d","timestamp":1694479551}`,
      `{"user_id":"dup\\udbff","app_version":"2.3.0","device_type":"iOS","ip":"10.0.0.1","locale":"RU","device_id":"d","timestamp":1694479551}`,
      `{"user_id":"proto","app_version":"2.3.0","device_type":"iOS","ip":"10.0.0.1","locale":"RU","device_id":"d","timestamp":1694479551,"__proto__":{"admin":true},"constructor":"c"}`,
      JSON.stringify(login('first-ms', { timestamp: 0.0005 })),
    ];
    await producer.send({ topic: topics.userLogin, messages: raw.map((value) => ({ value, partition: 0 })) });
    await settle(admin, groupId, topics.userLogin);

    const letters = (await readCommitted(testKafka.kafka, admin, topics.deadLetter)).map((m) => decodeDeadLetterHeaders(m.headers));
    expect(letters.map((l) => [l.sourceOffset, l.errors.map((e) => `${e.code}:${e.field}`)])).toEqual([
      ['0', ['INVALID_TIMESTAMP:timestamp']],
      ['1', ['INVALID_TIMESTAMP:timestamp']],
      ['2', ['INVALID_TIMESTAMP:timestamp']],
      ['3', ['INVALID_UNICODE:user_id']],
      ['4', ['INVALID_UNICODE:user_id']],
    ]);
    const processed = await readCommitted(testKafka.kafka, admin, topics.processedLogins);
    expect(processed.map((m) => String(m.key))).toEqual(['proto', 'first-ms']);
    expect(String(processed[0]?.value)).toContain('"__proto__":{"admin":true},"constructor":"c"');
    expect(JSON.parse(String(processed[1]?.value))).toMatchObject({ event_time_ms: 1, event_time: '1970-01-01T00:00:00.001Z' });
    expect(await child.kill('SIGTERM')).toBe(0);

    // A new instance restores the summaries it finds, then sees later logins of the same users.
    const next = processors.start(env);
    await next.waitUntilReady();
    await producer.send({ topic: topics.userLogin, messages: ['first-ms', 'proto'].map((user) => ({ value: JSON.stringify(login(user, { timestamp: 1700000000 })), partition: 0 })) });
    await settle(admin, groupId, topics.userLogin);
    await waitUntil(() => groupCaughtUp(admin, `${groupId}-summary`, topics.processedLogins, { transactional: true }), { timeoutMs: 60_000, description: 'the summary stage to catch up' });
    const summaries = await readCommitted(testKafka.kafka, admin, topics.userSummary);
    const latest = new Map(summaries.map((m) => [String(m.key), JSON.parse(String(m.value)) as { first_seen_ms: number; last_seen_ms: number }]));
    expect(latest.get('first-ms')).toMatchObject({ first_seen_ms: 1, last_seen_ms: 1_700_000_000_000 });
    expect(latest.get('proto')).toMatchObject({ first_seen_ms: 1_694_479_551_000, last_seen_ms: 1_700_000_000_000 });
    expect(next.lines.filter((l) => l['level'] === 'error' || l['level'] === 'fatal')).toEqual([]);
    expect(await next.kill('SIGTERM')).toBe(0);
  });
});
