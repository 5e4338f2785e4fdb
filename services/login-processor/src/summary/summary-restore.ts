import { isLoginStreamError, LoginStreamError } from '@login-stream/errors';
import { readToEnd } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import { userSummarySchema } from '@login-stream/schema';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { fromUserSummary } from './seen-range';
import type { SeenRange } from './seen-range';
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

/** What one `user-summary` record says: a user's range, a tombstone, or why it cannot be read. */
export type SummaryRecord =
  | { readonly kind: 'range'; readonly userId: string; readonly range: SeenRange }
  | { readonly kind: 'tombstone'; readonly userId: string }
  | { readonly kind: 'unreadable'; readonly why: string };

/** Reads one record of the summary topic as restore applies it. */
export function readSummaryRecord(message: Pick<KafkaMessage, 'key' | 'value'>): SummaryRecord {
  if (message.key === null) return { kind: 'unreadable', why: 'it has no key' };
  const userId = message.key.toString();
  if (message.value === null) return { kind: 'tombstone', userId };
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString());
  } catch (err) {
    return { kind: 'unreadable', why: `its value is not JSON: ${(err as Error).message}` };
  }
  const parsed = userSummarySchema.safeParse(json);
  if (!parsed.success) return { kind: 'unreadable', why: `its value is not a user summary: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  if (parsed.data.user_id !== userId) return { kind: 'unreadable', why: `it is keyed ${userId} but summarizes ${parsed.data.user_id}` };
  return { kind: 'range', userId, range: fromUserSummary(parsed.data) };
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
            const record = readSummaryRecord(message);
            // Skipping it would silently reset that user's first_seen: the state is wrong, so stop loudly.
            if (record.kind === 'unreadable') {
              throw new LoginStreamError(
                'STATE_RESTORE_FAILED',
                `${summaryTopic} partition ${partition} offset ${message.offset} cannot be restored: ${record.why}; only this processor may write ${summaryTopic}`,
                { details: { topic: summaryTopic, partition, offset: message.offset, key: message.key?.toString() } },
              );
            }
            // Later records overwrite earlier ones, as compaction would; a tombstone forgets the user.
            if (record.kind === 'tombstone') state.delete(record.userId);
            else state.set(record.userId, record.range);
            applied++;
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
    logger.info({ topic: summaryTopic, partitions, records: applied, users, durationMs: Date.now() - startedAt }, 'summary state restored');
    return states;
  };
}
