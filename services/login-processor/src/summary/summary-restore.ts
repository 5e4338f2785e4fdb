import { randomUUID } from 'node:crypto';
import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import { userSummarySchema } from '@login-stream/schema';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { fromUserSummary } from './seen-range';
import type { SummaryState } from './summary-stage';

export interface SummaryRestoreOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly summaryTopic: string;
  /** Prefix of the throwaway consumer group that reads the topic. */
  readonly groupPrefix: string;
  readonly timeoutMs: number;
}

function apply(state: SummaryState, message: KafkaMessage): boolean {
  if (message.key === null) return false;
  const userId = message.key.toString();
  if (message.value === null) {
    state.delete(userId); // a tombstone: compaction will forget the user too
    return true;
  }
  let parsed;
  try {
    parsed = userSummarySchema.safeParse(JSON.parse(message.value.toString()));
  } catch {
    return false;
  }
  if (!parsed.success) return false;
  // Later records overwrite earlier ones, as compaction would.
  state.set(userId, fromUserSummary(parsed.data));
  return true;
}

/**
 * Rebuilds the summary state of the given partitions from the compacted `user-summary` topic,
 * up to its last stable offset (read_committed). Called after the partitions' producers fenced
 * their former owners, so no transaction on those partitions is open and the end is final.
 */
export function createSummaryRestore(options: SummaryRestoreOptions): (partitions: readonly number[]) => Promise<SummaryState[]> {
  const { kafka, admin, logger, summaryTopic, groupPrefix, timeoutMs } = options;

  return async (partitions) => {
    const states = partitions.map((): SummaryState => new Map());
    const stateOf = new Map(partitions.map((p, i) => [p, states[i]]));
    const ends = await admin.fetchTopicOffsets(summaryTopic);
    // Last offset to reach per partition; empty partitions are restored already.
    const remaining = new Map<number, bigint>();
    for (const { partition, low, high } of ends) {
      if (stateOf.has(partition) && BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high) - 1n);
    }
    if (remaining.size === 0) return states;

    const startedAt = Date.now();
    const groupId = `${groupPrefix}-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, maxBytesPerPartition: 4 * 1024 * 1024 });
    let applied = 0;
    let unreadable = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      const done = new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new LoginStreamError('STATE_RESTORE_FAILED', `restoring ${summaryTopic} partitions ${partitions.join(',')} took over ${timeoutMs} ms`, {
                details: { partitions: [...remaining.keys()] },
              }),
            ),
          timeoutMs,
        );
        // Emitted after every batch, including batches that held only transaction markers.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          const last = remaining.get(payload.partition);
          if (last !== undefined && BigInt(payload.lastOffset) >= last) remaining.delete(payload.partition);
          if (remaining.size === 0) resolve();
        });
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      });
      done.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
      await consumer.connect();
      await consumer.subscribe({ topic: summaryTopic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const state = stateOf.get(batch.partition);
          if (state === undefined) return;
          for (const message of batch.messages) {
            if (apply(state, message)) applied++;
            else unreadable++;
          }
        },
      });
      await done;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
      // The group never commits and expires on its own; deleting it just keeps tools tidy.
      await admin.deleteGroups([groupId]).catch((err: unknown) => logger.warn({ err, groupId }, 'could not delete the restore group'));
    }
    const users = states.reduce((n, s) => n + s.size, 0);
    logger.info({ topic: summaryTopic, partitions, records: applied, unreadable, users, durationMs: Date.now() - startedAt }, 'summary state restored');
    return states;
  };
}
