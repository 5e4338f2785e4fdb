import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import type { CompressionTypes, Producer, TopicMessages } from 'kafkajs';
import { retryWhileConcurrent } from './concurrent-transactions';

/** The input position a batch's transaction commits for the stage's group. */
export interface BatchOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset after the batch's last record. */
  readonly next: string;
}

const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** Whether the broker refused the records as too large, anywhere in kafkajs' wrapping. */
function refusedAsTooLarge(err: unknown): boolean {
  for (let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined; e !== undefined && e !== null; e = (e.originalError ?? e.cause) as typeof e) {
    if (TOO_LARGE.has(String(e.type))) return true;
  }
  return false;
}

/**
 * One Kafka transaction holding a batch's records and its group offset: either all of it is
 * visible to read_committed consumers and the offset moved, or none of it. The records were sized
 * by the max.message.bytes read at takeover, so a broker that still finds them too large has had
 * its limits lowered since: STALE_TOPIC_LIMITS, retried by a lane that reads them again.
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
          topics: [{ topic: offset.topic, partitions: [{ partition: offset.partition, offset: offset.next }] }],
        }),
      );
    // The records (AddPartitionsToTxn, Produce) and the offsets (AddOffsetsToTxn, TxnOffsetCommit)
    // are independent until the commit: sending them side by side saves two round trips of the
    // five. Both settle before an abort, so no request of this transaction is left in flight.
    const sent = await Promise.allSettled([sendRecords(), sendOffsets()]);
    const failed = sent.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      const reason: unknown = failed.reason;
      if (!refusedAsTooLarge(reason)) throw reason;
      throw new LoginStreamError('STALE_TOPIC_LIMITS', `the broker refused records sized by the max.message.bytes read at takeover: a limit was lowered since`, {
        cause: reason,
        details: { partition: offset.partition },
      });
    }
  } catch (err) {
    // Best effort: the lane is dropped anyway, and fencing by the next producer aborts it too.
    await transaction.abort().catch((abortErr: unknown) => logger.debug({ err: abortErr, partition: offset.partition }, 'abort after a failed batch failed too'));
    throw err;
  }
  await transaction.commit();
}
