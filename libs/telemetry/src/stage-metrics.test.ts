import { PipelineMetrics } from './pipeline-metrics';
import { StageMetrics } from './stage-metrics';

type Sample = { labels: Record<string, string | number>; value: number };
const samples = async (metric: { get(): Promise<{ values: Sample[] }> | { values: Sample[] } }): Promise<Array<Record<string, string | number>>> =>
  (await metric.get()).values.map((v) => ({ ...v.labels, value: v.value }));

describe('the metrics of a stage', () => {
  it('when a transaction commits, then records in and out, dead letters by reason and the committed count move, labelled with the stage', async () => {
    const metrics = new PipelineMetrics();
    const routing = new StageMetrics(metrics, 'routing');
    routing.committed({ inputTopic: 'user-login', inputRecords: 10, outputs: new Map([['processed-logins', 8], ['user-login-dlq', 2]]), deadLetters: new Map([['INVALID_JSON', 2]]), seconds: 0.02 });
    routing.committed({ inputTopic: 'user-login', inputRecords: 5, outputs: new Map([['processed-logins', 5]]), deadLetters: new Map(), seconds: 0.03 });
    expect(await samples(metrics.recordsIn)).toEqual([{ stage: 'routing', topic: 'user-login', value: 15 }]);
    expect(await samples(metrics.recordsOut)).toEqual([
      { stage: 'routing', topic: 'processed-logins', value: 13 },
      { stage: 'routing', topic: 'user-login-dlq', value: 2 },
    ]);
    expect(await samples(metrics.deadLetters)).toEqual([{ stage: 'routing', reason: 'INVALID_JSON', value: 2 }]);
    expect(await samples(metrics.transactions)).toEqual([{ stage: 'routing', outcome: 'committed', value: 2 }]);
    const durations = (await metrics.transactionSeconds.get()).values;
    expect(durations.find((v) => v.metricName === 'login_stream_transaction_duration_seconds_count')?.value).toBe(2);
    expect(durations.find((v) => v.metricName === 'login_stream_transaction_duration_seconds_sum')?.value).toBeCloseTo(0.05);
  });

  it('when a tick commits (no input), then no input records are counted but its transaction is', async () => {
    const metrics = new PipelineMetrics();
    new StageMetrics(metrics, 'windowing').committed({ inputTopic: 'processed-logins', inputRecords: 0, outputs: new Map([['partials', 1]]), deadLetters: new Map(), seconds: 0.01 });
    expect(await samples(metrics.recordsIn)).toEqual([]);
    expect(await samples(metrics.transactions)).toEqual([{ stage: 'windowing', outcome: 'committed', value: 1 }]);
  });

  it('when a transaction fails, then it counts as aborted with its duration', async () => {
    const metrics = new PipelineMetrics();
    new StageMetrics(metrics, 'summary').aborted(0.5);
    expect(await samples(metrics.transactions)).toEqual([{ stage: 'summary', outcome: 'aborted', value: 1 }]);
  });

  it('when the group rebalances away a partition, then its lag series goes and the rebalance and assignment are counted', async () => {
    const metrics = new PipelineMetrics();
    const stage = new StageMetrics(metrics, 'routing');
    stage.assigned('user-login', [0, 1, 2]);
    stage.lag('user-login', 0, 7);
    stage.lag('user-login', 2, 0);
    stage.assigned('user-login', [0]);
    expect(await samples(metrics.consumerLag)).toEqual([{ stage: 'routing', topic: 'user-login', partition: '0', value: 7 }]);
    expect(await samples(metrics.rebalances)).toEqual([{ stage: 'routing', value: 2 }]);
    expect(await samples(metrics.assignedPartitions)).toEqual([{ stage: 'routing', value: 1 }]);
  });

  it('when scraped, then the event-time lag is now minus the last committed event time, so it grows while input is idle', async () => {
    const metrics = new PipelineMetrics();
    const at = Date.now() - 90_000;
    new StageMetrics(metrics, 'routing').committed({ inputTopic: 't', inputRecords: 1, outputs: new Map(), deadLetters: new Map(), seconds: 0.01, lastEventTimeMs: at });
    const [first] = await samples(metrics.eventTimeLag);
    expect(first['stage']).toBe('routing');
    expect(first['value']).toBeGreaterThanOrEqual(90);
    expect(first['value']).toBeLessThan(95);
  });
});
