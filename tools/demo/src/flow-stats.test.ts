import { loadPipelineConfig } from '@login-stream/config';
import { windowInsightsSchema } from '@login-stream/schema';
import { FlowStats } from './flow-stats';
import { renderFlow } from './render-flow';

const { topics } = loadPipelineConfig({});

describe('FlowStats', () => {
  it('when messages are recorded, then the snapshot has the totals and the rate since the previous snapshot', () => {
    const stats = new FlowStats(0);
    stats.record('input', 1000);
    stats.record('processed', 900);
    expect(stats.snapshot(1000)).toMatchObject({ elapsedMs: 1000, counts: { input: 1000, processed: 900 }, rates: { input: 1000 } });
    stats.record('input', 500);
    expect(stats.snapshot(3000)).toMatchObject({ counts: { input: 1500 }, rates: { input: 250, processed: 0 } });
  });

  it('when rejections are recorded, then they are listed most frequent first', () => {
    const stats = new FlowStats(0);
    for (const reason of ['INVALID_IP', 'MISSING_FIELD', 'MISSING_FIELD', 'NOT_JSON']) stats.recordRejection(reason);
    expect(stats.snapshot(1).rejections).toEqual([
      ['MISSING_FIELD', 2],
      ['INVALID_IP', 1],
      ['NOT_JSON', 1],
    ]);
  });

  it('when a topic name is one of the pipeline topics, then it maps to its flow; otherwise to nothing', () => {
    expect(FlowStats.topicOf('user-login-dlq', topics)).toBe('deadLetter');
    expect(FlowStats.topicOf('other', topics)).toBeUndefined();
  });
});

describe('the latest minute', () => {
  const minute = (start: string, logins: number) =>
    windowInsightsSchema.parse({
      type: 'window',
      window_size: '1m',
      window_start: start,
      window_end: new Date(Date.parse(start) + 60_000).toISOString(),
      window_start_ms: Date.parse(start),
      window_end_ms: Date.parse(start) + 60_000,
      logins,
      unique_users: logins - 1,
      device_types: { android: 3, iOS: logins - 3 },
      locales: { distinct: 2, most: { locales: ['CA'], logins: 4 }, least: { locales: ['VT'], logins: 1 } },
      ips: { distinct: 1, users_with_multiple_ips: 0, max_per_user: { ips: 1, user_ids: ['u'] } },
      emitted_at: '2026-12-01T10:00:05.123Z',
    });

  it('when window results arrive in any order, then the view shows the 1m window that starts latest, with its counts, device mix and most represented locale', () => {
    const stats = new FlowStats(0);
    stats.recordWindow(minute('2026-12-01T10:01:00.000Z', 10));
    stats.recordWindow(minute('2026-12-01T10:00:00.000Z', 99));
    stats.recordWindow({ ...minute('2026-12-01T10:05:00.000Z', 7), window_size: '1h' });
    stats.record('late', 3);
    const text = renderFlow(stats.snapshot(1_000), topics, 'reconciliation: first check in progress').join('\n');
    expect(text).toContain('latest closed 1m window: 2026-12-01 10:01 UTC');
    expect(text).toContain('10 logins, 9 unique users');
    expect(text).toContain('devices: android 3 (30%), iOS 7 (70%)');
    expect(text).toContain('most represented locale: CA (4 logins)');
    expect(text).toContain('late events (after their window closed): 3');
  });
});

describe('renderFlow', () => {
  it('when rendered, then every pipeline topic has a row with its count, the reconciliation line follows, then the rejections', () => {
    const stats = new FlowStats(0);
    stats.record('deadLetter', 1234);
    stats.recordRejection('NOT_JSON');
    const line = 'reconciliation MISSING: 1,234 input offsets checked, 1 missing, 0 duplicated, 0 in flight; insights: no windows yet';
    const text = renderFlow(stats.snapshot(2000), topics, line).join('\n');
    expect(text).toContain(`  ${line}\n`);
    expect(text).toMatch(/user-login-dlq\s+1,234\s+617/);
    expect(text).toMatch(/processed-logins\s+0/);
    expect(text).toMatch(/NOT_JSON\s+1/);
  });
});
