import { buildRecordBatch } from '@login-stream/exactly-once';
import type { OutputTopics } from '@login-stream/exactly-once';
import { DEFAULT_LOGIN_RULES, decodeDeadLetterHeaders } from '@login-stream/schema';
import { kafkaMessage } from '../testing/kafka-message';
import { createRoutingHandler } from './routing-stage';

const NOW = '2024-01-01T00:00:00.000Z';
const topics = { input: 'user-login', processed: 'processed-logins' };
const outputs = (deadLetterPartitions = 6): OutputTopics => ({
  maxBatchBytes: new Map([
    ['processed-logins', 1_048_588],
    ['user-login-dlq', 1_048_588],
  ]),
  deadLetterTopic: 'user-login-dlq',
  deadLetterPartitions,
});
const valid = (user: string) => JSON.stringify({ user_id: user, app_version: '2.3.0', device_type: 'iOS', ip: '10.0.0.1', locale: 'en', device_id: 'd', timestamp: 1694479551 });

function routeBatch(partition: number, messages: ReturnType<typeof kafkaMessage>[], deadLetterPartitions?: number) {
  const handler = createRoutingHandler(topics, DEFAULT_LOGIN_RULES, () => Date.parse(NOW));
  const work = handler.batch(undefined, { partition, now: NOW });
  return buildRecordBatch(work, messages, { topic: topics.input, partition, failedAt: NOW }, outputs(deadLetterPartitions));
}

const sent = (built: ReturnType<typeof routeBatch>) => built.requests.flat().flatMap((t) => t.messages.map((m) => ({ topic: t.topic, ...m })));

describe('routing stage', () => {
  it('when a batch mixes valid and bad logins, then each becomes exactly one record on processed-logins or the DLQ', () => {
    const built = routeBatch(3, [kafkaMessage(10, null, valid('a')), kafkaMessage(11, 'x', '{oops'), kafkaMessage(12, null, valid('b'))]);

    // One produce request, its records grouped by topic, each topic's in input order.
    expect(sent(built).map((m) => [m.topic, String(m.key)])).toEqual([
      ['processed-logins', 'a'],
      ['processed-logins', 'b'],
      ['user-login-dlq', 'x'],
    ]);
    expect(built.outputs).toEqual(new Map([['processed-logins', 2], ['user-login-dlq', 1]]));
    expect(built.deadLetters).toEqual(new Map([['NOT_JSON', 1]]));
  });

  it('when a login is rejected, then its dead letter keeps key and value bytes as they came and names its source and reasons', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const [letter] = sent(routeBatch(2, [{ ...kafkaMessage(41, 'k1', null), value: bytes }]));
    expect(letter?.value).toBe(bytes);
    expect(letter?.key).toEqual(Buffer.from('k1'));
    expect(decodeDeadLetterHeaders(letter?.headers)).toMatchObject({ reason: 'NOT_UTF8', sourceTopic: 'user-login', sourcePartition: 2, sourceOffset: '41', failedAt: NOW });
  });

  it('when every login in a batch is valid, then nothing is sent to the DLQ topic', () => {
    expect(sent(routeBatch(0, [kafkaMessage(0, null, valid('a'))])).map((m) => m.topic)).toEqual(['processed-logins']);
  });

  it('when records of input partition p are rejected, then they go to DLQ partition p modulo the DLQ size, in input order', () => {
    const built = routeBatch(5, [kafkaMessage(7, 'k1', 'nope'), kafkaMessage(8, null, '{oops')], 4);
    expect(sent(built).map((m) => [m.topic, m.partition, String(m.value)])).toEqual([
      ['user-login-dlq', 1, 'nope'],
      ['user-login-dlq', 1, '{oops'],
    ]);
  });
});
