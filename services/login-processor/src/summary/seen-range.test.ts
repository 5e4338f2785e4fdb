import { toUserSummary, widenRange } from './seen-range';

const T = Date.parse('2023-09-12T00:45:51Z');

describe('first/last-seen transitions', () => {
  it('when a user is seen for the first time, then a range of that one instant is emitted', () => {
    expect(widenRange(undefined, T)).toEqual({ firstSeenMs: T, lastSeenMs: T });
  });

  it('when a later login arrives, then last_seen moves and first_seen stays', () => {
    expect(widenRange({ firstSeenMs: T, lastSeenMs: T + 10 }, T + 20)).toEqual({ firstSeenMs: T, lastSeenMs: T + 20 });
  });

  it('when an earlier login arrives, then first_seen moves and last_seen stays', () => {
    expect(widenRange({ firstSeenMs: T, lastSeenMs: T + 10 }, T - 5)).toEqual({ firstSeenMs: T - 5, lastSeenMs: T + 10 });
  });

  it('when a login falls inside the known range, then nothing is emitted', () => {
    expect(widenRange({ firstSeenMs: T, lastSeenMs: T + 10 }, T + 5)).toBeUndefined();
  });

  it('when a login repeats a boundary, then nothing is emitted', () => {
    expect(widenRange({ firstSeenMs: T, lastSeenMs: T + 10 }, T)).toBeUndefined();
    expect(widenRange({ firstSeenMs: T, lastSeenMs: T + 10 }, T + 10)).toBeUndefined();
  });

  it('when a range becomes a summary record, then it carries ISO-8601 UTC times and their epoch milliseconds', () => {
    expect(toUserSummary('u1', { firstSeenMs: T, lastSeenMs: T + 1000 })).toEqual({
      user_id: 'u1',
      first_seen: '2023-09-12T00:45:51.000Z',
      last_seen: '2023-09-12T00:45:52.000Z',
      first_seen_ms: T,
      last_seen_ms: T + 1000,
    });
  });
});
