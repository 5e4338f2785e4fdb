import { seededRandom } from '@login-stream/kafka-testing';
import { PartitionWindows } from './partition-windows';
import type { ClosedWindow, LoginPlacement, WindowingRules } from './partition-windows';

const MINUTE = { label: '1m', ms: 60_000 };
const HOUR = { label: '1h', ms: 3_600_000 };
const GRACE = 5_000;
const at = (time: string) => Date.parse(`2016-07-11T${time}Z`);
const login = (userId: string) => ({ userId });
const describeClosed = (closed: readonly ClosedWindow[]) => closed.map((w) => `${w.size.label}@${new Date(w.startMs).toISOString().slice(11, 19)}:${w.partial.logins}`);
const refs = (placement: LoginPlacement, kind: 'counted' | 'late' | 'released') => placement[kind].map((r) => `${r.size.label}@${new Date(r.startMs).toISOString().slice(11, 19)}`);
const SEED = 7_112_016;

/** Places and adds a login as the windowing stage does; its placement. */
function take(windows: PartitionWindows, userId: string, eventTimeMs: number, offset = '0'): LoginPlacement {
  const placement = windows.place(eventTimeMs);
  // The stage's fast path must agree with placing: on time for every size, or not taken at all.
  const before = windows.checkpoint();
  if (windows.addIfOnTime(login(userId), eventTimeMs, offset)) {
    expect([placement.late, placement.released]).toEqual([[], []]);
  } else {
    expect(windows.checkpoint()).toEqual(before);
    expect(placement.late.length + placement.released.length).toBeGreaterThan(0);
    windows.add(login(userId), eventTimeMs, offset, placement);
  }
  return placement;
}

describe('windows of one partition', () => {
  it('when stream time reaches a window’s end plus grace, then the window closes with the logins it holds, once', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    take(windows, 'a', at('14:39:10'));
    take(windows, 'b', at('14:39:50'));
    take(windows, 'c', at('14:40:04')); // 14:40:04 < 14:40:00 + 5 s
    expect(windows.takeClosed()).toEqual([]);
    take(windows, 'd', at('14:40:05'));
    expect(describeClosed(windows.takeClosed())).toEqual(['1m@14:39:00:2']);
    take(windows, 'e', at('14:40:30'));
    expect(windows.takeClosed()).toEqual([]);
    expect(windows.streamTimeMs).toBe(at('14:40:30'));
  });

  it('when a login arrives out of order within the grace, then it still counts in its window, and how far behind it was is told', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    take(windows, 'a', at('14:40:03'));
    const placement = take(windows, 'b', at('14:39:58'));
    expect(refs(placement, 'counted')).toEqual(['1m@14:39:00']);
    expect(placement.behindMs).toBe(5_000);
    windows.release(Number.POSITIVE_INFINITY);
    expect(describeClosed(windows.takeClosed())).toEqual(['1m@14:39:00:1', '1m@14:40:00:1']);
  });

  it('when a login’s minute has closed but its hour is open, then it is late for 1m only and counts in its hour', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE, HOUR], graceMs: GRACE });
    take(windows, 'a', at('14:39:10'));
    take(windows, 'b', at('14:41:00'));
    const late = take(windows, 'c', at('14:39:30'));
    expect(refs(late, 'late')).toEqual(['1m@14:39:00']);
    expect(refs(late, 'counted')).toEqual(['1h@14:00:00']);
    expect(late.behindMs).toBe(90_000);
    windows.release(Number.POSITIVE_INFINITY);
    expect(describeClosed(windows.takeClosed())).toEqual(['1m@14:39:00:1', '1m@14:41:00:1', '1h@14:00:00:3']);
  });

  it('when the partition is idle, then it releases the windows whose end plus grace passed on the wall clock, closing those it holds, without moving its stream time', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    take(windows, 'a', at('14:39:10'));
    take(windows, 'b', at('14:40:01'));
    windows.release(at('14:40:06'));
    expect(describeClosed(windows.takeClosed())).toEqual(['1m@14:39:00:1']);
    windows.release(at('14:40:30')); // the 14:40 window is not due yet
    expect(windows.takeClosed()).toEqual([]);
    windows.release(at('15:00:00'));
    expect(describeClosed(windows.takeClosed())).toEqual(['1m@14:40:00:1']);
    expect(windows.streamTimeMs).toBe(at('14:40:01'));
    expect(windows.openWindows).toBe(0);
    // A login for a released window is not late here (stream time never reached it): the merge decides.
    const released = take(windows, 'c', at('14:40:30'));
    expect([refs(released, 'late'), refs(released, 'released')]).toEqual([[], ['1m@14:40:00']]);
    // One beyond what was released counts; one behind the stream time is late.
    expect(refs(take(windows, 'd', at('15:10:00')), 'counted')).toEqual(['1m@15:10:00']);
    expect(refs(take(windows, 'e', at('14:40:30')), 'late')).toEqual(['1m@14:40:00']);
  });

  it('when a historical stream reaches a partition that idled for days, then nothing is late from waiting: its windows were only released', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE, HOUR], graceMs: GRACE });
    windows.release(Date.parse('2026-12-01T00:00:00Z'));
    const placements = ['14:39:10', '14:39:50', '14:40:02', '14:41:00'].map((t) => take(windows, 'a', at(t)));
    expect(placements.flatMap((p) => p.late)).toEqual([]);
    expect(placements.map((p) => p.released.length)).toEqual([2, 2, 2, 2]);
  });

  it(`when random logins arrive out of order, with idle releases between them, then for every size each is counted in exactly one closed window, late or released, as a brute force over both horizons says (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const rules: WindowingRules = { sizes: [MINUTE, HOUR], graceMs: GRACE };
    for (let round = 0; round < 50; round++) {
      const windows = new PartitionWindows(rules);
      let clock = at('14:00:00') + Math.floor(random() * 3_600_000);
      const counted = new Map<string, number>();
      const expected = new Map<string, number>();
      const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
      let maxSeen = Number.NEGATIVE_INFINITY;
      let releasedTo = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < 400; i++) {
        clock += Math.floor(random() * 2_000);
        if (random() < 0.02) {
          // The partition idles; the wall clock is ahead of the events by up to a minute.
          const wall = clock + Math.floor(random() * 60_000);
          releasedTo = Math.max(releasedTo, wall);
          windows.release(wall);
        }
        const delay = random() < 0.9 ? Math.floor(random() * 1_000) : random() < 0.7 ? Math.floor(random() * 6_000) : Math.floor(random() * 300_000);
        const t = clock - delay;
        for (const size of rules.sizes) {
          const start = Math.floor(t / size.ms) * size.ms;
          const closesAt = start + size.ms + GRACE;
          // The brute force: late once the most seen before it reached end + grace; released once a release reached it.
          bump(expected, closesAt <= maxSeen ? `${size.label} late` : closesAt <= releasedTo ? `${size.label} released` : `${size.label}@${start}`);
        }
        maxSeen = Math.max(maxSeen, t);
        const placement = take(windows, `u${i}`, t, String(i));
        for (const r of placement.late) bump(counted, `${r.size.label} late`);
        for (const r of placement.released) bump(counted, `${r.size.label} released`);
        for (const w of windows.takeClosed()) bump(counted, `${w.size.label}@${w.startMs}`, w.partial.logins);
      }
      windows.release(Number.POSITIVE_INFINITY);
      for (const w of windows.takeClosed()) bump(counted, `${w.size.label}@${w.startMs}`, w.partial.logins);
      expect(counted).toEqual(expected);
      expect(windows.openWindows).toBe(0);
    }
  });

  it(`when a partition is rebuilt from its checkpoint by replaying its input from the oldest open window, then it closes the same windows with the same logins as the one that never stopped (seed ${SEED + 1})`, () => {
    const random = seededRandom(SEED + 1);
    const rules: WindowingRules = { sizes: [MINUTE, HOUR], graceMs: GRACE };
    for (let round = 0; round < 30; round++) {
      let clock = at('14:00:00');
      const input = Array.from({ length: 600 }, (_, i) => {
        clock += Math.floor(random() * 3_000);
        return { userId: `u${Math.floor(random() * 50)}`, t: clock - (random() < 0.9 ? Math.floor(random() * 4_000) : Math.floor(random() * 200_000)), releaseAt: random() < 0.01 ? clock + Math.floor(random() * 30_000) : undefined, offset: String(i) };
      });
      const stopAt = 100 + Math.floor(random() * 400);
      const closedBy = (windows: PartitionWindows, events: typeof input) => {
        const closed: string[] = [];
        for (const e of events) {
          if (e.releaseAt !== undefined) windows.release(e.releaseAt);
          take(windows, e.userId, e.t, e.offset);
          closed.push(...describeClosed(windows.takeClosed()).map((d) => `${e.offset}:${d}`));
        }
        windows.release(Number.POSITIVE_INFINITY);
        return [...closed, ...describeClosed(windows.takeClosed())];
      };

      const uninterrupted = closedBy(new PartitionWindows(rules), input);

      const before = new PartitionWindows(rules);
      const closedBefore: string[] = [];
      for (const e of input.slice(0, stopAt)) {
        if (e.releaseAt !== undefined) before.release(e.releaseAt);
        take(before, e.userId, e.t, e.offset);
        closedBefore.push(...describeClosed(before.takeClosed()).map((d) => `${e.offset}:${d}`));
      }
      const from = before.firstOpenOffset() ?? BigInt(stopAt);
      const rebuilt = new PartitionWindows(rules, before.checkpoint());
      for (const e of input.slice(Number(from), stopAt)) rebuilt.replay(login(e.userId), e.t, e.offset);
      expect(rebuilt.openWindows).toBe(before.openWindows);
      expect([...closedBefore, ...closedBy(rebuilt, input.slice(stopAt))]).toEqual(uninterrupted);
    }
  });
});
