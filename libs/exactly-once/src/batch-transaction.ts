import type { Logger } from '@login-stream/logger';
import type { CompressionTypes, Producer, TopicMessages } from 'kafkajs';
import { retryWhileConcurrent } from './concurrent-transactions';

/** The position a batch's transaction commits, as a consumer group's offset. */
export interface BatchOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset after the batch's last record. */
  readonly next: string;
  /** Committed with the offset; the group's offset metadata. */
  readonly metadata?: string;
}

/**
 * One Kafka transaction holding a batch's records and its group offset: either all of it is
 * visible to read_committed consumers and the offset moved, or none of it.
 */
export async function commitBatch(
  producer: Producer,
  requests: readonly TopicMessages[][],
  offset: BatchOffset,
  compression: CompressionTypes,
  logger: Logger,
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    const sendRecords = async () => {
      for (const topicMessages of requests) await transaction.sendBatch({ topicMessages, acks: -1, compression });
    };
    const sendOffsets = () =>
      retryWhileConcurrent(() =>
        transaction.sendOffsets({
          consumerGroupId: offset.groupId,
          topics: [{ topic: offset.topic, partitions: [{ partition: offset.partition, offset: offset.next, ...(offset.metadata !== undefined && { metadata: offset.metadata }) }] }],
        }),
      );
    // The records (AddPartitionsToTxn, Produce) and the offsets (AddOffsetsToTxn, TxnOffsetCommit)
    // are independent until the commit: sending them side by side saves two round trips of the
    // five. Both settle before an abort, so no request of this transaction is left in flight.
    const sent = await Promise.allSettled([sendRecords(), sendOffsets()]);
    const failed = sent.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } catch (err) {
    // Best effort: the lane is dropped anyway, and fencing by the next producer aborts it too.
    await transaction.abort().catch((abortErr: unknown) => logger.debug({ err: abortErr, partition: offset.partition }, 'abort after a failed batch failed too'));
    throw err;
  }
  await transaction.commit();
}
