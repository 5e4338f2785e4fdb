import { decodeDeadLetterHeaders } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';
import { buildRecordBatch, MAX_REQUEST_BYTES } from './record-batch';
import type { OutputTopics } from './record-batch';
import { RECORD_BATCH_OVERHEAD_BYTES, recordBytes } from '@login-stream/kafka';
import type { BatchHandler, RecordOutcome } from './stage-handler';

const LIMIT = 1_048_588;
const source = { topic: 'in', partition: 5, failedAt: '2024-01-01T00:00:00.000Z' };
const topics = (limits: Record<string, number> = {}): OutputTopics => ({
  maxBatchBytes: new Map(Object.entries({ out: LIMIT, dlq: LIMIT, ...limits })),
  deadLetterTopic: 'dlq',
  deadLetterPartitions: 3,
});
const message = (offset: number, value: string | Buffer): KafkaMessage => ({
  key: Buffer.from(`k${offset}`),
  value: Buffer.isBuffer(value) ? value : Buffer.from(value),
  offset: String(offset),
  timestamp: '0',
  attributes: 0,
  headers: {},
});

/** A handler whose answer per record is decided by its value, and which records what it accepted. */
function handler(decide: (value: string) => RecordOutcome | 'throw'): BatchHandler & { accepted: string[] } {
  const accepted: string[] = [];
  return {
    accepted,
    record(m) {
      const value = String(m.value);
      const outcome = decide(value);
      if (outcome === 'throw') throw new RangeError('Maximum call stack size exceeded');
      return 'outputs' in outcome ? { ...outcome, accept: () => accepted.push(value) } : outcome;
    },
    committed: () => undefined,
  };
}

const echo = (value: string): RecordOutcome => ({ outputs: [{ topic: 'out', key: value, value }] });
const sent = (batch: ReturnType<typeof buildRecordBatch>) => batch.requests.flat().flatMap((t) => t.messages.map((m: Message) => ({ topic: t.topic, ...m })));

describe('a batch built a record at a time', () => {
  it('when one record’s handler throws, then that record alone is dead-lettered as PROCESSING_ERROR with the error, and the records around it are written', () => {
    const h = handler((v) => (v === 'bad' ? 'throw' : echo(v)));
    const batch = buildRecordBatch(h, [message(1, 'a'), message(2, 'bad'), message(3, 'b')], source, topics());

    const records = sent(batch);
    expect(records.filter((r) => r.topic === 'out').map((r) => r.value)).toEqual(['a', 'b']);
    const [letter] = records.filter((r) => r.topic === 'dlq');
    expect(letter?.partition).toBe(5 % 3);
    expect(String(letter?.value)).toBe('bad');
    const info = decodeDeadLetterHeaders(letter?.headers);
    expect(info).toMatchObject({ reason: 'PROCESSING_ERROR', sourceTopic: 'in', sourcePartition: 5, sourceOffset: '2' });
    expect(info.errors[0]?.message).toContain('RangeError: Maximum call stack size exceeded');
    expect(batch.deadLetters).toEqual(new Map([['PROCESSING_ERROR', 1]]));
    expect(h.accepted).toEqual(['a', 'b']);
  });

  it('when a record’s output exceeds its topic’s max.message.bytes, then the input record is dead-lettered as RECORD_TOO_LARGE and its changes are not accepted', () => {
    const big = 'x'.repeat(2000);
    const h = handler((v) => ({ outputs: [{ topic: 'out', key: null, value: `${v}${v}` }] }));
    const batch = buildRecordBatch(h, [message(1, 'a'), message(2, big), message(3, 'b')], source, topics({ out: 3000 }));

    const records = sent(batch);
    expect(records.filter((r) => r.topic === 'out').map((r) => r.value)).toEqual(['aa', 'bb']);
    const letters = records.filter((r) => r.topic === 'dlq');
    expect(letters.map((r) => String(r.value))).toEqual([big]);
    const info = decodeDeadLetterHeaders(letters[0]?.headers);
    expect(info.reason).toBe('RECORD_TOO_LARGE');
    expect(info.errors[0]?.message).toMatch(/out record would take \d+ bytes, over that topic's max.message.bytes 3000/);
    expect(h.accepted).toEqual(['a', 'b']);
  });

  it('when a record is rejected by the handler and its dead letter would be too large, then the dead letter is cut to fit and says so', () => {
    const value = Buffer.alloc(5000, 0x61);
    const h = handler(() => ({ rejections: [{ code: 'NOT_JSON', message: 'value is not JSON' }] }));
    const [letter] = sent(buildRecordBatch(h, [message(9, value)], source, topics({ dlq: 4000 })));
    expect(RECORD_BATCH_OVERHEAD_BYTES + recordBytes(letter as Message)).toBeLessThanOrEqual(4000);
    expect(decodeDeadLetterHeaders(letter?.headers)).toMatchObject({ reason: 'NOT_JSON', sourceOffset: '9', truncated: { keyBytes: 2, valueBytes: 5000 } });
  });

  it('when a record has several outputs and one is too large, then none of them is written', () => {
    const h = handler((v) => ({ outputs: [{ topic: 'out', key: null, value: 'small' }, { topic: 'out', key: null, value: v }] }));
    const records = sent(buildRecordBatch(h, [message(1, 'y'.repeat(5000))], source, topics({ out: 3000 })));
    expect(records.map((r) => r.topic)).toEqual(['dlq']);
  });

  it('when the records add up to more than a request may carry, then they are split in order into requests under the bound of the smallest topic limit', () => {
    const h = handler(echo);
    const values = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(1000, '.'));
    const batch = buildRecordBatch(h, values.map((v, i) => message(i, v)), source, topics({ out: 10_000 }));
    expect(batch.requests.length).toBeGreaterThan(4);
    for (const request of batch.requests) {
      const bytes = request.flatMap((t) => t.messages).reduce((n, m) => n + recordBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(10_000 - RECORD_BATCH_OVERHEAD_BYTES);
    }
    expect(sent(batch).map((r) => r.value)).toEqual(values);
  });

  it('when the limits are large, then a request still stays under MAX_REQUEST_BYTES', () => {
    const h = handler(echo);
    const batch = buildRecordBatch(h, Array.from({ length: 30 }, (_, i) => message(i, 'z'.repeat(100_000))), source, topics({ out: 10 * LIMIT, dlq: 10 * LIMIT }));
    for (const request of batch.requests) expect(request.flatMap((t) => t.messages).reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
  });

  it('when an output names a topic the stage does not write, then the batch fails as a bug instead of dead-lettering', () => {
    const h = handler(() => ({ outputs: [{ topic: 'elsewhere', key: null, value: 'v' }] }));
    expect(() => buildRecordBatch(h, [message(1, 'v')], source, topics())).toThrow(/no max.message.bytes for elsewhere/);
  });
});
