import type { PipelineConfig } from '@login-stream/config';
import type { TopicSpec } from './ensure-topics';

/**
 * The topics the pipeline owns and how they are made. One definition, so the services and
 * the demo agree: `user-summary` is compacted (latest first/last-seen per user), the rest
 * are plain event logs with the broker's retention.
 */
export function pipelineTopicSpecs(config: Pick<PipelineConfig, 'topics' | 'topicPartitions' | 'topicReplicationFactor'>): TopicSpec[] {
  const base = { partitions: config.topicPartitions, replicationFactor: config.topicReplicationFactor };
  return [
    { name: config.topics.userLogin, ...base },
    { name: config.topics.processedLogins, ...base },
    { name: config.topics.deadLetter, ...base },
    { name: config.topics.userSummary, ...base, configs: { 'cleanup.policy': 'compact' } },
    { name: config.topics.loginInsights, ...base },
    { name: config.topics.loginInsightsLate, ...base },
  ];
}
