import { loadPipelineConfig } from '@login-stream/config';
import { pipelineTopicSpecs } from './pipeline-topics';

describe('pipelineTopicSpecs', () => {
  it('when built from the default config, then every topic has the configured partitions and only user-summary is compacted', () => {
    const specs = pipelineTopicSpecs(loadPipelineConfig({ TOPIC_PARTITIONS: '4' }));
    expect(specs.map((s) => s.name)).toEqual(['user-login', 'processed-logins', 'user-login-dlq', 'user-summary', 'login-insights', 'login-insights-late']);
    expect(specs.every((s) => s.partitions === 4)).toBe(true);
    expect(specs.filter((s) => s.configs?.['cleanup.policy'] === 'compact').map((s) => s.name)).toEqual(['user-summary']);
  });
});
