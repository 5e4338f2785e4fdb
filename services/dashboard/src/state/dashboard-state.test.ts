import type { WindowInsights } from '@login-stream/schema';
import { DashboardState, MINUTES_KEPT } from './dashboard-state';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const MINUTE = 60_000;
const names = { input: 'user-login', processed: 'processed-logins', deadLetter: 'user-login-dlq', summary: 'user-summary', insights: 'login-insights', late: 'login-insights-late' };

function result(size: '1m' | '1h' | '5m', startMs: number, logins: number): WindowInsights {
  const sizeMs = size === '1m' ? MINUTE : size === '5m' ? 5 * MINUTE : 60 * MINUTE;
  return {
    type: 'window',
    window_size: size,
    window_start: new Date(startMs).toISOString(),
    window_end: new Date(startMs + sizeMs).toISOString(),
    window_start_ms: startMs,
    window_end_ms: startMs + sizeMs,
    logins,
    unique_users: Math.ceil(logins / 2),
    device_types: { android: logins },
    locales: { distinct: 1, most: { locales: ['RU'], logins }, least: { locales: ['RU'], logins } },
    ips: { distinct: logins, users_with_multiple_ips: 1, max_per_user: { ips: 2, user_ids: ['u1'] } },
    emitted_at: new Date(startMs + sizeMs + 5_000).toISOString(),
  };
}

describe('the dashboard state', () => {
  it('when window results arrive in any order, then the last 60 one-minute windows are kept, oldest first, one per key', () => {
    const state = new DashboardState(names);
    for (let i = MINUTES_KEPT + 4; i >= 0; i--) state.addWindow(result('1m', T0 + i * MINUTE, i));
    state.addWindow(result('1m', T0 + 10 * MINUTE, 999));
    const { minutes } = state.snapshot(T0);
    expect(minutes).toHaveLength(MINUTES_KEPT);
    expect(minutes[0].startMs).toBe(T0 + 5 * MINUTE);
    expect(minutes[minutes.length - 1].startMs).toBe(T0 + (MINUTES_KEPT + 4) * MINUTE);
    expect(minutes.find((w) => w.key === '1m:2026-12-01T10:10:00.000Z')?.logins).toBe(999);
  });

  it('when a result of a size the page does not draw arrives, then it is not kept and nothing is returned to push', () => {
    const state = new DashboardState(names);
    expect(state.addWindow(result('5m', T0, 3))).toBeUndefined();
    expect(state.addWindow(result('1h', T0, 3))?.key).toBe('1h:2026-12-01T10:00:00.000Z');
    expect(state.snapshot(T0)).toMatchObject({ minutes: [], hours: [{ logins: 3, uniqueUsers: 2, deviceTypes: { android: 3 }, usersWithMultipleIps: 1, maxIpsPerUser: { ips: 2, userIds: ['u1'] } }] });
  });

  it('when late logins arrive, then each window key shown counts them, for every size it names', () => {
    const state = new DashboardState(names);
    state.addWindow(result('1m', T0, 1));
    state.addWindow(result('1h', T0, 1));
    state.addLate(['1m:2026-12-01T10:00:00.000Z', '1h:2026-12-01T10:00:00.000Z']);
    state.addLate(['1m:2026-12-01T10:00:00.000Z']);
    state.addLate(['1m:2026-12-01T09:00:00.000Z']);
    expect(state.tick(T0).late).toEqual({ '1m:2026-12-01T10:00:00.000Z': 2, '1h:2026-12-01T10:00:00.000Z': 1 });
  });

  it('when records arrive, then totals count them all and the rate covers the last five seconds', () => {
    const state = new DashboardState(names);
    state.addRecords('input', 100, T0);
    state.addRecords('input', 50, T0 + 4_000);
    state.addRecords('deadLetter', 5, T0 + 4_500);
    const input = (at: number) => state.tick(at).flows.find((f) => f.topic === 'input');
    expect(input(T0 + 4_999)).toEqual({ topic: 'input', name: 'user-login', records: 150, perSecond: 30 });
    expect(input(T0 + 6_000)).toEqual({ topic: 'input', name: 'user-login', records: 150, perSecond: 10 });
    expect(state.tick(T0 + 6_000).flows.map((f) => f.topic)).toEqual(['input', 'processed', 'deadLetter', 'summary', 'insights', 'late']);
  });

  it('when dead letters arrive, then rejections are counted by reason, most first', () => {
    const state = new DashboardState(names);
    for (const reason of ['INVALID_JSON', 'MISSING_FIELD', 'MISSING_FIELD', 'APP_VERSION_TOO_OLD', 'MISSING_FIELD', 'INVALID_JSON']) state.addRejection(reason);
    expect(state.tick(T0).rejections).toEqual([
      ['MISSING_FIELD', 3],
      ['INVALID_JSON', 2],
      ['APP_VERSION_TOO_OLD', 1],
    ]);
  });

  it('when a check finished, then its verdict rides on every tick', () => {
    const state = new DashboardState(names);
    expect(state.tick(T0).reconciliation).toBeNull();
    state.setReconciliation({ verdict: 'OK', line: 'reconciliation OK: …', checkedAtMs: T0 });
    expect(state.tick(T0).reconciliation?.verdict).toBe('OK');
  });

  it('when 1m windows roll past the kept ones, then late counts of the dropped windows are forgotten', () => {
    const state = new DashboardState(names);
    state.addLate(['1m:2026-12-01T10:00:00.000Z']);
    for (let i = 0; i <= MINUTES_KEPT; i++) state.addWindow(result('1m', T0 + i * MINUTE, 1));
    state.addLate(['1m:2026-12-01T10:30:00.000Z']);
    expect(state.tick(T0).late).toEqual({ '1m:2026-12-01T10:30:00.000Z': 1 });
    expect((state as unknown as { late: Map<string, number> }).late.size).toBe(1);
  });
});
