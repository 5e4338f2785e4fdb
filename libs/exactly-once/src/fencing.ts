import { keyPartitioner } from '@login-stream/kafka';
import type { Kafka, Producer } from 'kafkajs';

export interface FencingOptions {
  readonly kafka: Kafka;
  readonly transactionalIdPrefix: string;
  readonly inputTopic: string;
  readonly transactionTimeoutMs: number;
}

// Backoff for AddPartitionsToTxn answered CONCURRENT_TRANSACTIONS right after the previous
// commit; kafkajs' default 300 ms first retry would stall every partition after each batch.
const PRODUCER_RETRY = { initialRetryTime: 5, maxRetryTime: 2_000, retries: 12 };

/** The transactional id that owns an input partition's output, whichever instance holds it. */
export function transactionalIdOf(options: Pick<FencingOptions, 'transactionalIdPrefix' | 'inputTopic'>, partition: number): string {
  return `${options.transactionalIdPrefix}-${options.inputTopic}-${partition}`;
}

/**
 * Takes an input partition over: initializes its transactional id, which aborts (or completes)
 * the former owner's open transaction and rejects every later request of it. From here on, no
 * former owner can commit for this partition.
 */
export async function fencePartition(options: FencingOptions, partition: number): Promise<Producer> {
  const producer = options.kafka.producer({
    transactionalId: transactionalIdOf(options, partition),
    transactionTimeout: options.transactionTimeoutMs,
    // Records and offsets of a transaction travel side by side (commitBatch); the records' own
    // requests are still sent one after the other.
    maxInFlightRequests: 2,
    retry: PRODUCER_RETRY,
    // murmur2 as in the Java client: keyed outputs partition like any other client would.
    createPartitioner: keyPartitioner,
  });
  try {
    await producer.connect();
    // kafkajs sends InitProducerId with the first transaction; an empty one sends nothing else.
    await (await producer.transaction()).abort();
    return producer;
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw err;
  }
}
