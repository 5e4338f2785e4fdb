import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { kafkaMessage } from '../testing/kafka-message';
import { ProcessorStats } from '../stats';
import { createRoutingHandler } from './routing-stage';

const topics = { input: 'user-login', processed: 'processed-logins', deadLetter: 'user-login-dlq', deadLetterPartitions: 6 };
const valid = (user: string) => JSON.stringify({ user_id: user, app_version: '2.3.0', device_type: 'iOS', ip: '10.0.0.1', locale: 'en', device_id: 'd', timestamp: 1694479551 });

describe('routing stage', () => {
  it('when a batch mixes valid and bad logins, then each becomes exactly one record on processed-logins or the DLQ', () => {
    const stats = new ProcessorStats();
    const handler = createRoutingHandler(topics, DEFAULT_LOGIN_RULES, stats, () => Date.parse('2024-01-01T00:00:00Z'));
    const output = handler.process(
      3,
      [kafkaMessage(10, null, valid('a')), kafkaMessage(11, 'x', '{oops'), kafkaMessage(12, null, valid('b'))],
      undefined,
    );

    expect(output.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([
      ['processed-logins', 2],
      ['user-login-dlq', 1],
    ]);
    expect(output.topicMessages[0]?.messages.map((m) => String(m.key))).toEqual(['a', 'b']);
  });

  it('when a batch is routed, then the stats count it only once its transaction committed', () => {
    const stats = new ProcessorStats();
    const handler = createRoutingHandler(topics, DEFAULT_LOGIN_RULES, stats);
    const output = handler.process(0, [kafkaMessage(0, null, valid('a')), kafkaMessage(1, null, 'nope')], undefined);
    expect(stats.snapshot()).toEqual({ outputs: {}, rejections: {} });

    output.committed();

    expect(stats.snapshot()).toEqual({ outputs: { 'processed-logins': 1, 'user-login-dlq': 1 }, rejections: { NOT_JSON: 1 } });
  });

  it('when every login in a batch is valid, then nothing is sent to the DLQ topic', () => {
    const handler = createRoutingHandler(topics, DEFAULT_LOGIN_RULES, new ProcessorStats());
    const output = handler.process(0, [kafkaMessage(0, null, valid('a'))], undefined);
    expect(output.topicMessages.map((t) => t.topic)).toEqual(['processed-logins']);
  });

  it('when records of input partition p are rejected, then they go to DLQ partition p modulo the DLQ size, in input order', () => {
    const handler = createRoutingHandler({ ...topics, deadLetterPartitions: 4 }, DEFAULT_LOGIN_RULES, new ProcessorStats());
    const output = handler.process(5, [kafkaMessage(7, 'k1', 'nope'), kafkaMessage(8, null, '{oops')], undefined);
    const dlq = output.topicMessages.find((t) => t.topic === 'user-login-dlq');
    expect(dlq?.messages.map((m) => [m.partition, String(m.value)])).toEqual([
      [1, 'nope'],
      [1, '{oops'],
    ]);
  });
});
