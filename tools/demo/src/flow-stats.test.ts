import { loadPipelineConfig } from '@login-stream/config';
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

describe('renderFlow', () => {
  it('when rendered, then every pipeline topic has a row with its count and the rejections follow', () => {
    const stats = new FlowStats(0);
    stats.record('deadLetter', 1234);
    stats.recordRejection('NOT_JSON');
    const text = renderFlow(stats.snapshot(2000), topics).join('\n');
    expect(text).toMatch(/user-login-dlq\s+1,234\s+617/);
    expect(text).toMatch(/processed-logins\s+0/);
    expect(text).toMatch(/NOT_JSON\s+1/);
  });
});
