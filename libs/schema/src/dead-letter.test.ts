import { decodeDeadLetterHeaders, encodeDeadLetterHeaders } from './dead-letter';
import type { DeadLetterInfo } from './dead-letter';

describe('dead-letter headers', () => {
  const info: DeadLetterInfo = {
    reason: 'MISSING_FIELD',
    errors: [{ code: 'MISSING_FIELD', field: 'device_type', message: 'device_type is missing' }],
    sourceTopic: 'user-login',
    sourcePartition: 3,
    sourceOffset: '9007199254740993',
    failedAt: '2026-11-22T12:00:00.000Z',
  };

  it('when encoded and decoded as Kafka delivers them (Buffers), then nothing is lost', () => {
    const asDelivered = Object.fromEntries(Object.entries(encodeDeadLetterHeaders(info)).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeDeadLetterHeaders(asDelivered)).toEqual(info);
  });

  it('when the dead letter carries only the first bytes of its record, then the original sizes survive the round trip', () => {
    const cut: DeadLetterInfo = { ...info, reason: 'RECORD_TOO_LARGE', truncated: { keyBytes: 36, valueBytes: 1_048_480 } };
    const headers = encodeDeadLetterHeaders(cut);
    expect(headers['dlq.truncated']).toBe('{"key_bytes":36,"value_bytes":1048480}');
    expect(decodeDeadLetterHeaders(headers)).toEqual(cut);
    expect(encodeDeadLetterHeaders(info)['dlq.truncated']).toBeUndefined();
  });

  it('when a header is missing, then decoding fails loudly', () => {
    expect(() => decodeDeadLetterHeaders({})).toThrow();
  });
});
