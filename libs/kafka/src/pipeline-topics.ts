import type { PipelineConfig } from '@login-stream/config';
import type { TopicSpec } from './ensure-topics';

/** The broker's default max.message.bytes. */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/**
 * What a record carrying a processed login whole (a late one) may add to it in headers: its
 * topic takes what processed-logins takes by default, and this.
 */
export const PROCESSED_LOGIN_HEADROOM_BYTES = 64 * 1024;

/**
 * The topics the pipeline owns and how they are made. One definition, so the services and
 * the demo agree: `user-summary` is compacted (latest first/last-seen per user), the late topic
 * takes a processed login with headers added, the rest are plain event logs with the broker's
 * retention.
 */
export function pipelineTopicSpecs(config: Pick<PipelineConfig, 'topics' | 'topicPartitions' | 'topicReplicationFactor'>): TopicSpec[] {
  const base = { partitions: config.topicPartitions, replicationFactor: config.topicReplicationFactor };
  return [
    { name: config.topics.userLogin, ...base },
    { name: config.topics.processedLogins, ...base },
    { name: config.topics.deadLetter, ...base },
    { name: config.topics.userSummary, ...base, configs: { 'cleanup.policy': 'compact' } },
    { name: config.topics.loginInsights, ...base },
    { name: config.topics.loginInsightsLate, ...base, configs: { 'max.message.bytes': String(BROKER_DEFAULT_MAX_MESSAGE_BYTES + PROCESSED_LOGIN_HEADROOM_BYTES) } },
  ];
}
