import { decodeDeadLetterHeaders } from '@login-stream/schema';
import { deadLetterRecord } from './dead-letter-record';
import { singleRecordBatchBytes } from '@login-stream/kafka';

const source = { topic: 'user-login', partition: 2, failedAt: '2024-01-01T00:00:00.000Z' };
const rejections = [{ code: 'RECORD_TOO_LARGE' as const, message: 'its processed-logins record would take 1048700 bytes' }];
const LIMIT = 1_048_588;

describe('dead letter of one input record', () => {
  it('when key, value and headers fit the DLQ, then the dead letter carries the record’s bytes unchanged and no truncation header', () => {
    const input = { key: Buffer.from('k'), value: Buffer.from('{"a":1}'), offset: '41' };
    const letter = deadLetterRecord(input, rejections, source, LIMIT);
    expect(letter.key).toBe(input.key);
    expect(letter.value).toBe(input.value);
    expect(decodeDeadLetterHeaders(letter.headers)).toEqual({
      reason: 'RECORD_TOO_LARGE',
      errors: rejections,
      sourceTopic: 'user-login',
      sourcePartition: 2,
      sourceOffset: '41',
      failedAt: source.failedAt,
    });
  });

  it('when the value does not fit beside the headers, then the dead letter keeps as many of its first bytes as fit and says how large it was', () => {
    const value = Buffer.alloc(LIMIT - 100, 0x61);
    const input = { key: Buffer.from('user-1'), value, offset: '7' };
    const letter = deadLetterRecord(input, rejections, source, LIMIT);
    expect(singleRecordBatchBytes(letter)).toBeLessThanOrEqual(LIMIT);
    expect(singleRecordBatchBytes(letter)).toBeGreaterThan(LIMIT - 16);
    expect(letter.key).toEqual(input.key);
    const kept = letter.value as Buffer;
    expect(kept.equals(value.subarray(0, kept.length))).toBe(true);
    expect(decodeDeadLetterHeaders(letter.headers)).toMatchObject({ sourceOffset: '7', truncated: { keyBytes: 6, valueBytes: LIMIT - 100 } });
  });

  it('when even the key does not fit, then the value is emptied and the key cut', () => {
    const input = { key: Buffer.alloc(5000, 0x6b), value: Buffer.alloc(5000), offset: '1' };
    const letter = deadLetterRecord(input, rejections, source, 2000);
    expect(singleRecordBatchBytes(letter)).toBeLessThanOrEqual(2000);
    expect((letter.value as Buffer).length).toBe(0);
    expect((letter.key as Buffer).length).toBeGreaterThan(1000);
    expect(decodeDeadLetterHeaders(letter.headers).truncated).toEqual({ keyBytes: 5000, valueBytes: 5000 });
  });

  it('when the DLQ cannot hold even the headers, then it fails as a configuration error rather than writing a broken dead letter', () => {
    expect(() => deadLetterRecord({ key: null, value: Buffer.alloc(10), offset: '1' }, rejections, source, 200)).toThrow(/max.message.bytes 200 of the DLQ/);
  });
});
