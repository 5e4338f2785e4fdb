import { EVENT_TIME_HEADER, LATE_WINDOWS_HEADER } from '@login-stream/schema';
import { InsightsCheck } from './insights-check';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** A window result as the contract has it; only its window and logins matter here. */
const result = (size: string, startMs: number, sizeMs: number, logins: number) =>
  Buffer.from(
    JSON.stringify({
      type: 'window',
      window_size: size,
      window_start: iso(startMs),
      window_end: iso(startMs + sizeMs),
      window_start_ms: startMs,
      window_end_ms: startMs + sizeMs,
      logins,
      unique_users: logins,
      device_types: {},
      locales: { distinct: 0, most: null, least: null },
      ips: { distinct: 0, users_with_multiple_ips: 0, max_per_user: null },
      emitted_at: iso(startMs + sizeMs),
    }),
  );
const at = (ms: number) => ({ [EVENT_TIME_HEADER]: Buffer.from(String(ms)) });
const lateFor = (...keys: string[]) => ({ [LATE_WINDOWS_HEADER]: Buffer.from(keys.join(',')) });

describe('the insights check', () => {
  it('when the results and late logins of each size add up to the processed logins in their range, then it is ok', () => {
    const check = new InsightsCheck();
    check.addResult(result('1m', T0, MINUTE, 2));
    check.addResult(result('1m', T0 + MINUTE, MINUTE, 1));
    check.addLate(lateFor(`1m:${iso(T0)}`));
    for (const t of [T0 + 1, T0 + 2, T0 + 3, T0 + MINUTE + 5]) check.addProcessed(at(t));
    // Past the last closed window: still open, not counted.
    check.addProcessed(at(T0 + 2 * MINUTE + 1));
    expect(check.report(true)).toEqual({
      status: 'ok',
      caughtUp: true,
      sizes: [{ windowSize: '1m', windows: 2, duplicateWindows: 0, fromMs: T0, untilMs: T0 + 2 * MINUTE, resultLogins: 3, lateEvents: 1, processedLogins: 4, balanced: true }],
    });
  });

  it('when a processed login is in no result and not late, then the size is not balanced: a mismatch if insights had caught up, in flight if not', () => {
    const build = () => {
      const check = new InsightsCheck();
      check.addResult(result('1m', T0, MINUTE, 1));
      check.addProcessed(at(T0 + 1));
      check.addProcessed(at(T0 + 2));
      return check;
    };
    expect(build().report(true)).toMatchObject({ status: 'mismatch', sizes: [{ balanced: false, resultLogins: 1, processedLogins: 2 }] });
    expect(build().report(false).status).toBe('in-flight');
  });

  it('when a window appears twice, then it is not balanced even if the sums agree', () => {
    const check = new InsightsCheck();
    check.addResult(result('1m', T0, MINUTE, 1));
    check.addResult(result('1m', T0, MINUTE, 1));
    check.addProcessed(at(T0));
    check.addProcessed(at(T0 + 1));
    expect(check.report(true)).toMatchObject({ status: 'mismatch', sizes: [{ duplicateWindows: 1, balanced: false }] });
  });

  it('when there are several sizes, then each is balanced over its own range and a late login counts for each size it names', () => {
    const check = new InsightsCheck();
    check.addResult(result('1h', T0, 60 * MINUTE, 1));
    check.addResult(result('1m', T0, MINUTE, 1));
    check.addLate(lateFor(`1m:${iso(T0)}`, `1h:${iso(T0)}`));
    check.addLate(lateFor(`1m:${iso(T0 + 30 * MINUTE)}`));
    check.addProcessed(at(T0 + 10));
    check.addProcessed(at(T0 + 20));
    check.addProcessed(at(T0 + 30 * MINUTE));
    const report = check.report(true);
    expect(report.sizes.map((s) => [s.windowSize, s.resultLogins, s.lateEvents, s.processedLogins, s.balanced])).toEqual([
      ['1m', 1, 1, 2, true],
      ['1h', 1, 1, 3, false],
    ]);
  });

  it('when a login-insights record is not a window result (not JSON, another shape), then it is not counted and the check goes on', () => {
    const check = new InsightsCheck();
    check.addResult(Buffer.from('{"type": "window", "window_si'));
    check.addResult(Buffer.from(JSON.stringify({ type: 'window', window_size: '1m', logins: 5 })));
    check.addResult(null);
    check.addResult(result('1m', T0, MINUTE, 1));
    check.addProcessed(at(T0));
    expect(check.report(true)).toMatchObject({ status: 'ok', sizes: [{ windowSize: '1m', windows: 1, resultLogins: 1, processedLogins: 1 }] });
  });

  it('when nothing was emitted, then there are no windows to check', () => {
    const check = new InsightsCheck();
    check.addProcessed(at(T0));
    expect(check.report(true)).toEqual({ status: 'no-windows', caughtUp: true, sizes: [] });
  });

  it('when a result comes after a processed login, then it refuses: the ranges would be wrong', () => {
    const check = new InsightsCheck();
    check.addProcessed(at(T0));
    expect(() => check.addResult(result('1m', T0, MINUTE, 1))).toThrow('every result must come before');
  });
});
