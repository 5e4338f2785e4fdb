import { seededRandom } from '@login-stream/kafka-testing';
import { PartitionWindows } from './partition-windows';
import type { ClosedWindow } from './partition-windows';

const MINUTE = { label: '1m', ms: 60_000 };
const HOUR = { label: '1h', ms: 3_600_000 };
const GRACE = 5_000;
const at = (time: string) => Date.parse(`2016-07-11T${time}Z`);
const login = (userId: string) => ({ userId });
const describeClosed = (closed: readonly ClosedWindow[]) => closed.map((w) => `${w.size.label}@${new Date(w.startMs).toISOString().slice(11, 19)}:${w.partial.logins}`);
const SEED = 7_112_016;

describe('windows of one partition', () => {
  it('when stream time reaches a window’s end plus grace, then the window closes with the logins it holds, once', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    expect(windows.add(login('a'), at('14:39:10')).closed).toEqual([]);
    expect(windows.add(login('b'), at('14:39:50')).closed).toEqual([]);
    expect(windows.add(login('c'), at('14:40:04')).closed).toEqual([]); // 14:40:04 < 14:40:00 + 5 s
    expect(describeClosed(windows.add(login('d'), at('14:40:05')).closed)).toEqual(['1m@14:39:00:2']);
    expect(windows.add(login('e'), at('14:40:30')).closed).toEqual([]);
    expect(windows.streamTimeMs).toBe(at('14:40:30'));
  });

  it('when a login arrives out of order within the grace, then it still counts in its window, and how far behind it was is told', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    windows.add(login('a'), at('14:40:03'));
    const outcome = windows.add(login('b'), at('14:39:58'));
    expect(outcome).toMatchObject({ lateFor: [], behindMs: 5_000 });
    expect(describeClosed(windows.closeIdle(Number.POSITIVE_INFINITY))).toEqual(['1m@14:39:00:1', '1m@14:40:00:1']);
  });

  it('when a login’s minute has closed but its hour is open, then it is late for 1m only and counts in its hour', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE, HOUR], graceMs: GRACE });
    windows.add(login('a'), at('14:39:10'));
    windows.add(login('b'), at('14:41:00'));
    const late = windows.add(login('c'), at('14:39:30'));
    expect(late.lateFor).toEqual([{ size: MINUTE, startMs: at('14:39:00') }]);
    expect(late.behindMs).toBe(90_000);
    expect(describeClosed(windows.closeIdle(Number.POSITIVE_INFINITY))).toEqual(['1m@14:41:00:1', '1h@14:00:00:3']);
  });

  it('when the partition is idle, then it closes the open windows whose end plus grace passed on the wall clock, without moving its stream time', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE], graceMs: GRACE });
    windows.add(login('a'), at('14:39:10'));
    windows.add(login('b'), at('14:40:01'));
    expect(describeClosed(windows.closeIdle(at('14:40:06')))).toEqual(['1m@14:39:00:1']);
    expect(windows.closeIdle(at('14:40:30'))).toEqual([]); // the 14:40 window is not due yet
    expect(describeClosed(windows.closeIdle(at('15:00:00')))).toEqual(['1m@14:40:00:1']);
    expect(windows.streamTimeMs).toBe(at('14:40:01'));
    expect(windows.openWindows).toBe(0);
    // An idle-closed window stays closed: a login for it is late. A later window it never opened is not.
    expect(windows.add(login('c'), at('14:40:30')).lateFor).toEqual([{ size: MINUTE, startMs: at('14:40:00') }]);
    expect(windows.add(login('d'), at('14:45:00')).lateFor).toEqual([]);
    expect(describeClosed(windows.closeIdle(Number.POSITIVE_INFINITY))).toEqual(['1m@14:45:00:1']);
  });

  it('when a historical stream reaches a partition that idled for days, then its windows are judged by its own time: nothing is late from waiting', () => {
    const windows = new PartitionWindows({ sizes: [MINUTE, HOUR], graceMs: GRACE });
    expect(windows.closeIdle(Date.parse('2026-12-01T00:00:00Z'))).toEqual([]);
    const outcomes = ['14:39:10', '14:39:50', '14:40:02', '14:41:00'].map((t) => windows.add(login('a'), at(t)));
    expect(outcomes.flatMap((o) => o.lateFor)).toEqual([]);
    expect(describeClosed(outcomes.flatMap((o) => o.closed))).toEqual(['1m@14:39:00:2']);
  });

  it(`when random logins arrive out of order, then for every size each is either late or counted in exactly one closed window, as a brute force over stream time says (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < 50; round++) {
      const windows = new PartitionWindows({ sizes: [MINUTE, HOUR], graceMs: GRACE });
      const base = at('14:00:00') + Math.floor(random() * 3_600_000);
      let clock = base;
      const events = Array.from({ length: 400 }, () => {
        clock += Math.floor(random() * 2_000);
        // Mostly on time, some within the grace, a few minutes late.
        const delay = random() < 0.9 ? Math.floor(random() * 1_000) : random() < 0.7 ? Math.floor(random() * 6_000) : Math.floor(random() * 300_000);
        return clock - delay;
      });
      const counted = new Map<string, number>();
      const late = new Map<string, number>();
      let maxSeen = Number.NEGATIVE_INFINITY;
      const expectedLate = new Map<string, number>();
      const expectedCounted = new Map<string, number>();
      const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
      for (const [i, t] of events.entries()) {
        for (const size of [MINUTE, HOUR]) {
          const start = Math.floor(t / size.ms) * size.ms;
          const key = `${size.label}@${start}`;
          // The brute force: late when stream time (the most seen before it) had reached end + grace.
          if (start + size.ms + GRACE <= maxSeen) bump(expectedLate, size.label);
          else bump(expectedCounted, key);
        }
        maxSeen = Math.max(maxSeen, t);
        const outcome = windows.add(login(`u${i}`), t);
        for (const { size } of outcome.lateFor) bump(late, size.label);
        for (const w of outcome.closed) bump(counted, `${w.size.label}@${w.startMs}`, w.partial.logins);
      }
      for (const w of windows.closeIdle(Number.POSITIVE_INFINITY)) bump(counted, `${w.size.label}@${w.startMs}`, w.partial.logins);
      expect(late).toEqual(expectedLate);
      expect(counted).toEqual(expectedCounted);
      for (const size of ['1m', '1h']) {
        const inWindows = [...counted].filter(([k]) => k.startsWith(`${size}@`)).reduce((n, [, c]) => n + c, 0);
        expect(inWindows + (late.get(size) ?? 0)).toBe(events.length);
      }
      expect(windows.openWindows).toBe(0);
    }
  });
});
