import { isLoginStreamError, LoginStreamError } from '@login-stream/errors';
import { readToEnd } from '@login-stream/kafka';
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
    const startedAt = Date.now();
    let applied = 0;
    let unreadable = 0;
    try {
      await readToEnd(kafka, admin, {
        topic: summaryTopic,
        partitions,
        groupIdPrefix: groupPrefix,
        timeoutMs,
        logger,
        onBatch: (partition, messages) => {
          const state = stateOf.get(partition) as SummaryState;
          for (const message of messages) {
            if (apply(state, message)) applied++;
            else unreadable++;
          }
        },
      });
    } catch (err) {
      // A restore that cannot finish in time is fatal (a restart beats a stalled partition);
      // a consumer failure keeps its own classification.
      if (isLoginStreamError(err) && err.code === 'TIMEOUT') {
        throw new LoginStreamError('STATE_RESTORE_FAILED', `restoring ${summaryTopic} partitions ${partitions.join(',')} took over ${timeoutMs} ms`, {
          details: err.details,
        });
      }
      throw err;
    }
    const users = states.reduce((n, s) => n + s.size, 0);
    logger.info({ topic: summaryTopic, partitions, records: applied, unreadable, users, durationMs: Date.now() - startedAt }, 'summary state restored');
    return states;
  };
}
