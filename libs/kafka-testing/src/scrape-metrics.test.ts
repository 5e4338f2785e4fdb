import { parseMetrics, sumOf } from './scrape-metrics';

describe('reading a Prometheus text exposition', () => {
  const text = [
    '# HELP login_stream_records_out_total Records written.',
    '# TYPE login_stream_records_out_total counter',
    'login_stream_records_out_total{stage="routing",topic="processed"} 970',
    'login_stream_records_out_total{stage="routing",topic="dlq"} 30',
    'login_stream_records_out_total{stage="summary",topic="summary"} 41',
    'login_stream_ready 1',
    'odd_label{why="a \\"quoted\\" word, a \\\\ and a,comma"} 2.5 1700000000000',
    '',
  ].join('\n');

  it('when samples have labels, then each label and value is read, escapes included', () => {
    expect(parseMetrics(text)).toEqual([
      { name: 'login_stream_records_out_total', labels: { stage: 'routing', topic: 'processed' }, value: 970 },
      { name: 'login_stream_records_out_total', labels: { stage: 'routing', topic: 'dlq' }, value: 30 },
      { name: 'login_stream_records_out_total', labels: { stage: 'summary', topic: 'summary' }, value: 41 },
      { name: 'login_stream_ready', labels: {}, value: 1 },
      { name: 'odd_label', labels: { why: 'a "quoted" word, a \\ and a,comma' }, value: 2.5 },
    ]);
  });

  it('when summed with a label filter, then only the matching series count', () => {
    const samples = parseMetrics(text);
    expect(sumOf(samples, 'login_stream_records_out_total', { stage: 'routing' })).toBe(1000);
    expect(sumOf(samples, 'login_stream_records_out_total')).toBe(1041);
    expect(sumOf(samples, 'absent')).toBe(0);
  });

  it('when a line is not a sample, then reading fails naming it', () => {
    expect(() => parseMetrics('this is not prometheus')).toThrow('not a Prometheus sample line: this is not prometheus');
  });
});
