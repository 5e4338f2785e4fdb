import { loadInsightsConfig } from './insights-config';

describe('insights configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadInsightsConfig({});
    expect(config.sizes).toEqual([
      { label: '1m', ms: 60_000 },
      { label: '1h', ms: 3_600_000 },
    ]);
    expect(config).toMatchObject({ graceMs: 5_000, idleMs: 10_000, groupId: 'login-insights', mergeGroupId: 'login-insights-merge', partialsTopic: 'login-insights-partials' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when FETCH_MAX_BYTES_PER_PARTITION is unset, then insights fetches 1 MiB per partition, not the processor\'s 4 MiB; when set, then that', () => {
    expect(loadInsightsConfig({}).maxBytesPerPartition).toBe(1_048_576);
    expect(loadInsightsConfig({ FETCH_MAX_BYTES_PER_PARTITION: '4194304' }).maxBytesPerPartition).toBe(4_194_304);
  });

  it('when window sizes are listed, then each is parsed, in order', () => {
    expect(loadInsightsConfig({ INSIGHTS_WINDOWS: '30s, 5m,2h' }).sizes.map((s) => s.ms)).toEqual([30_000, 300_000, 7_200_000]);
  });

  it.each([
    ['INSIGHTS_WINDOWS', '1m,1d', '"1d" is not a window size'],
    ['INSIGHTS_WINDOWS', '60s,1m', 'window size 1m is listed twice'],
    ['INSIGHTS_GRACE_MS', '-1', 'INSIGHTS_GRACE_MS'],
    ['INSIGHTS_IDLE_MS', 'soon', 'INSIGHTS_IDLE_MS'],
    ['INSIGHTS_PARTIALS_TOPIC', 'no spaces', 'INSIGHTS_PARTIALS_TOPIC'],
    ['FETCH_MAX_BYTES_PER_PARTITION', '512', 'FETCH_MAX_BYTES_PER_PARTITION'],
  ])('when %s is "%s", then loading fails with CONFIG_INVALID naming it', (name, value, message) => {
    let failure: unknown;
    try {
      loadInsightsConfig({ [name]: value });
    } catch (err) {
      failure = err;
    }
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).toContain(name);
  });
});
