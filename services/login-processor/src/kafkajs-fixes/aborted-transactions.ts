/**
 * Correct read_committed filtering for kafkajs 2.2.4 consumers.
 *
 * kafkajs drops the records of aborted transactions with a filter that assumes the broker lists
 * a partition's aborted transactions by first offset and starts at most one of them per record.
 * The broker lists them by the offset of their abort marker, and whenever transactions of
 * several producers on one partition overlap and are aborted in another order than they began,
 * records of an aborted transaction reach a read_committed consumer. The processor creates
 * exactly that: one transactional producer per input partition, all writing processed-logins,
 * aborted together when an instance dies. This is the Java consumer's algorithm instead.
 */

/** A fetched record as kafkajs' batch decoder produces it (control records included). */
export interface FetchedRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

// A control record's key: version 0, type 0 (abort); 1 would be commit.
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

export function filterAbortedMessages<M extends FetchedRecord>({
  messages,
  abortedTransactions,
}: {
  messages: readonly M[];
  abortedTransactions?: readonly AbortedTransaction[];
}): M[] {
  if (abortedTransactions === undefined || abortedTransactions.length === 0) return [...messages];
  const pending = [...abortedTransactions].sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : 1));
  const aborting = new Set<string>();
  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    // Every aborted transaction that has begun by this offset, not just the next one.
    while (pending.length > 0 && BigInt((pending[0]).firstOffset) <= offset) {
      aborting.add((pending.shift() as AbortedTransaction).producerId);
    }
    const { producerId, inTransaction } = message.batchContext;
    if (message.key !== null && ABORT_MARKER_KEY.equals(message.key)) {
      aborting.delete(producerId);
      return true; // control records are dropped by kafkajs after this filter
    }
    return !(inTransaction && aborting.has(producerId));
  });
}
