import { EVENT_TIME_HEADER } from '@login-stream/schema';
import type { RecordOutcome, StageHandler } from '@login-stream/exactly-once';
import type { Logger } from '@login-stream/logger';
import type { KafkaMessage } from 'kafkajs';
import { toUserSummary, widenRange } from './seen-range';
import type { SeenRange } from './seen-range';

/** The summary state of one `processed-logins` partition: the known range per user. */
export type SummaryState = Map<string, SeenRange>;

type LoginEvent = { userId: string; eventTimeMs: number };

/** Most logins fall inside their user's known range and write nothing. */
const NOTHING: RecordOutcome = Object.freeze({ outputs: [] });

/** Reads the routing stage's event-time header and key: no JSON parsing on the hot path. */
function eventOf(message: KafkaMessage): LoginEvent | undefined {
  const header = message.headers?.[EVENT_TIME_HEADER];
  if (message.key !== null && header !== undefined && !Array.isArray(header)) {
    const eventTimeMs = Number(header.toString());
    if (Number.isSafeInteger(eventTimeMs)) return { userId: message.key.toString(), eventTimeMs };
  }
  return eventOfValue(message);
}

/** Records written before the event-time header existed carry the time only in their value. */
function eventOfValue(message: KafkaMessage): LoginEvent | undefined {
  if (message.value === null) return undefined;
  let login: { user_id?: unknown; event_time_ms?: unknown };
  try {
    login = JSON.parse(message.value.toString()) as typeof login;
  } catch {
    return undefined;
  }
  const { user_id: userId, event_time_ms: eventTimeMs } = login;
  if (typeof userId !== 'string' || typeof eventTimeMs !== 'number' || !Number.isSafeInteger(eventTimeMs)) return undefined;
  return { userId, eventTimeMs };
}

/**
 * Stage 2: first/last-seen per user. `processed-logins` is keyed by user_id, so all logins of a
 * user arrive on one of its partitions, q; the summaries of q are written to `user-summary`
 * partition q, from which q's state is restored by whoever owns q next.
 */
export function createSummaryHandler(
  summaryTopic: string,
  restore: (partitions: readonly number[]) => Promise<SummaryState[]>,
  logger: Logger,
): StageHandler<SummaryState> {
  return {
    restore,
    batch(state, { partition }) {
      // The batch's changes, applied to the partition's state once its transaction committed.
      const changes: SummaryState = new Map();
      let lastEventTimeMs: number | undefined;
      return {
        record(message) {
          const event = eventOf(message);
          if (event === undefined) {
            // Only this processor writes processed-logins; a record it cannot read is foreign.
            logger.warn({ partition, offset: message.offset }, 'processed login without user_id or event_time_ms; not summarized');
            return NOTHING;
          }
          lastEventTimeMs = event.eventTimeMs;
          const next = widenRange(changes.get(event.userId) ?? state.get(event.userId), event.eventTimeMs);
          if (next === undefined) return NOTHING;
          return {
            outputs: [{ topic: summaryTopic, key: event.userId, value: JSON.stringify(toUserSummary(event.userId, next)), partition }],
            accept: () => changes.set(event.userId, next),
          };
        },
        committed() {
          for (const [userId, range] of changes) state.set(userId, range);
        },
        lastEventTimeMs: () => lastEventTimeMs,
      };
    },
  };
}
