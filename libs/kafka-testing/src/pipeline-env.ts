import { uniqueName } from './unique-name';

/** Fresh topic and group names for one pipeline run, as the environment its service children read. */
export function pipelineEnv(prefix: string, brokers: readonly string[], overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  const name = (what: string) => uniqueName(`${prefix}-${what}`);
  return {
    KAFKA_BROKERS: brokers.join(','),
    TOPIC_USER_LOGIN: name('login'),
    TOPIC_PROCESSED_LOGINS: name('processed'),
    TOPIC_DEAD_LETTER: name('dlq'),
    TOPIC_USER_SUMMARY: name('summary'),
    TOPIC_LOGIN_INSIGHTS: name('insights'),
    TOPIC_LOGIN_INSIGHTS_LATE: name('late'),
    INSIGHTS_GROUP_ID: name('insights-group'),
    TOPIC_PARTITIONS: '6',
    CONSUMER_GROUP_ID: name('group'),
    // The broker's minimum: a killed instance's partitions move on within seconds.
    SESSION_TIMEOUT_MS: '6000',
    STATS_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}
