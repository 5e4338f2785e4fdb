import { RECORD_BATCH_OVERHEAD_BYTES, recordBytes, singleRecordBatchBytes } from './record-size';

// kafkajs' own (patched) encoders, as the producer uses them: the size must bound what they write.
type RecordEncoder = (record: { offsetDelta: number; timestampDelta: number; key: unknown; value: unknown; headers?: unknown }) => { buffer: Buffer };
type RecordBatchEncoder = (batch: { firstTimestamp: number; maxTimestamp: number; lastOffsetDelta: number; records: Array<{ buffer: Buffer }> }) => Promise<{ buffer: Buffer }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordEncoder;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: RecordBatchEncoder };

type Sample = { key: Buffer | string | null; value: Buffer | string | null; headers?: Record<string, string | Buffer | Array<string | Buffer>> };

const SAMPLES: ReadonlyArray<readonly [string, Sample]> = [
  ['an empty record', { key: null, value: null }],
  ['a small login with two headers', { key: 'user-1', value: '{"user_id":"user-1"}', headers: { 'login.source': 'user-login:0:41', 'login.event-time-ms': '1694479551000' } }],
  ['a value of 127 bytes (the last one-byte length)', { key: null, value: 'x'.repeat(127) }],
  ['a value of 128 bytes (the first two-byte length)', { key: null, value: 'x'.repeat(128) }],
  ['non-ASCII text', { key: 'ключ', value: '😀'.repeat(1000), headers: { 'ключ': 'значение' } }],
  ['a repeated header', { key: Buffer.from([1, 2, 3]), value: Buffer.alloc(70_000), headers: { h: ['a', Buffer.from('bb')] } }],
  ['a value of 1 MiB', { key: 'k', value: Buffer.alloc(1024 * 1024) }],
];

describe('record size against kafkajs’ encoding', () => {
  it.each(SAMPLES)('when the record is %s, then the bound covers the encoded record and is at most 15 bytes over it', (_name, sample) => {
    // A later record in a batch has larger deltas; the bound holds for the largest ones.
    for (const deltas of [{ offsetDelta: 0, timestampDelta: 0 }, { offsetDelta: 2 ** 31 - 1, timestampDelta: -(2 ** 40) }]) {
      const encoded = encodeRecord({ ...deltas, ...sample }).buffer.length;
      expect(recordBytes(sample)).toBeGreaterThanOrEqual(encoded);
      expect(recordBytes(sample) - encoded).toBeLessThanOrEqual(15);
    }
  });

  it.each(SAMPLES)('when %s is alone in a record batch, then the batch bound covers the whole batch the broker checks', async (_name, sample) => {
    const now = Date.now();
    const batch = await RecordBatch({ firstTimestamp: now, maxTimestamp: now, lastOffsetDelta: 0, records: [encodeRecord({ offsetDelta: 0, timestampDelta: 0, ...sample })] });
    expect(singleRecordBatchBytes(sample)).toBeGreaterThanOrEqual(batch.buffer.length);
    expect(singleRecordBatchBytes(sample) - batch.buffer.length).toBeLessThanOrEqual(15);
    expect(batch.buffer.length).toBeGreaterThan(RECORD_BATCH_OVERHEAD_BYTES);
  });
});
