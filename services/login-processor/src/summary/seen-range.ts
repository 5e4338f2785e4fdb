import { formatIsoUtc } from '@login-stream/schema';
import type { UserSummary } from '@login-stream/schema';

/** The first and last event time known for one user, in epoch milliseconds. */
export interface SeenRange {
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * The summary transition for one valid login: a new user starts a range, a later time moves
 * last_seen, an earlier one moves first_seen. Returns the new range, or undefined when the
 * event falls inside the known range and nothing is to be emitted.
 */
export function widenRange(current: SeenRange | undefined, eventTimeMs: number): SeenRange | undefined {
  if (current === undefined) return { firstSeenMs: eventTimeMs, lastSeenMs: eventTimeMs };
  if (eventTimeMs > current.lastSeenMs) return { firstSeenMs: current.firstSeenMs, lastSeenMs: eventTimeMs };
  if (eventTimeMs < current.firstSeenMs) return { firstSeenMs: eventTimeMs, lastSeenMs: current.lastSeenMs };
  return undefined;
}

export function toUserSummary(userId: string, range: SeenRange): UserSummary {
  return {
    user_id: userId,
    first_seen: formatIsoUtc(range.firstSeenMs),
    last_seen: formatIsoUtc(range.lastSeenMs),
    first_seen_ms: range.firstSeenMs,
    last_seen_ms: range.lastSeenMs,
  };
}

export function fromUserSummary(summary: UserSummary): SeenRange {
  return { firstSeenMs: summary.first_seen_ms, lastSeenMs: summary.last_seen_ms };
}
