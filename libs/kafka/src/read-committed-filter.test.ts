// The read_committed filter as patched by patches/kafkajs+2.2.4.patch.
interface FetchedRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (args: {
  messages: FetchedRecord[];
  abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
}) => FetchedRecord[];

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const record = (offset: number, producerId: string, key: Buffer | null = null, inTransaction = true): FetchedRecord => ({
  offset: String(offset),
  key,
  isControlRecord: key !== null && (key.equals(ABORT) || key.equals(COMMIT)),
  batchContext: { producerId, inTransaction },
});
const offsets = (records: FetchedRecord[]) => records.map((r) => Number(r.offset));

describe('read_committed filtering of aborted transactions', () => {
  it('when two aborted transactions overlap and the later-begun one ends first, then neither leaks (kafkajs 2.2.4 leaks the first)', () => {
    // a: 0, 3(abort)   b: 1, 2(abort)   c: 4, 5(commit); the broker lists b before a (by abort marker).
    const messages = [record(0, 'a'), record(1, 'b'), record(2, 'b', ABORT), record(3, 'a', ABORT), record(4, 'c'), record(5, 'c', COMMIT)];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { producerId: 'b', firstOffset: '1' },
        { producerId: 'a', firstOffset: '0' },
      ],
    });
    expect(offsets(kept)).toEqual([2, 3, 4, 5]);
  });

  it('when a fetch starts inside two aborted transactions, then both are dropped from the first record on', () => {
    const messages = [record(10, 'b'), record(11, 'a'), record(12, 'a', ABORT), record(13, 'b', ABORT)];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { producerId: 'a', firstOffset: '5' },
        { producerId: 'b', firstOffset: '7' },
      ],
    });
    expect(offsets(kept)).toEqual([12, 13]);
  });

  it('when a producer aborts one transaction and commits the next, then only the aborted records are dropped', () => {
    const messages = [record(0, 'a'), record(1, 'a', ABORT), record(2, 'a'), record(3, 'a', COMMIT)];
    expect(offsets(filterAbortedMessages({ messages, abortedTransactions: [{ producerId: 'a', firstOffset: '0' }] }))).toEqual([1, 2, 3]);
  });

  it('when records of other producers or outside transactions interleave, then they are kept', () => {
    const messages = [record(0, 'a'), record(1, 'x', null, false), record(2, 'c'), record(3, 'a', ABORT), record(4, 'c', COMMIT)];
    expect(offsets(filterAbortedMessages({ messages, abortedTransactions: [{ producerId: 'a', firstOffset: '0' }] }))).toEqual([1, 2, 3, 4]);
  });

  it('when nothing was aborted, then every record is kept', () => {
    const messages = [record(0, 'a'), record(1, 'a', COMMIT)];
    expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toEqual(messages);
  });

  it('when a data record of an aborted transaction happens to have the abort marker as its key, then it does not end the transaction', () => {
    const lookalike = { ...record(1, 'a', Buffer.from(ABORT)), isControlRecord: false };
    const messages = [record(0, 'a'), lookalike, record(2, 'a'), record(3, 'a', ABORT)];
    expect(offsets(filterAbortedMessages({ messages, abortedTransactions: [{ producerId: 'a', firstOffset: '0' }] }))).toEqual([3]);
  });
});
