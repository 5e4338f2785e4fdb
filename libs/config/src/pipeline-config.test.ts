import { LoginStreamError } from '@login-stream/errors';
import { loadPipelineConfig } from './pipeline-config';

function configErrorOf(fn: () => unknown): LoginStreamError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoginStreamError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('pipeline config', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadPipelineConfig({});
    expect(config.kafka.brokers).toEqual(['localhost:9092']);
    expect(config.topics).toEqual({
      userLogin: 'user-login',
      processedLogins: 'processed-logins',
      deadLetter: 'user-login-dlq',
      userSummary: 'user-summary',
      loginInsights: 'login-insights',
      loginInsightsLate: 'login-insights-late',
    });
    expect(config.topicPartitions).toBe(3);
    expect(config.outageTimeoutMs).toBe(300_000);
    expect(config.compression).toBe('none');
    expect(config.kafka.ssl).toBe(false);
    expect(config.kafka.sasl).toBeUndefined();
  });

  it('when variables are set, then they override the defaults', () => {
    const config = loadPipelineConfig({
      KAFKA_BROKERS: 'a:9092, b:9093',
      TOPIC_USER_LOGIN: 'logins.raw',
      TOPIC_PARTITIONS: '12',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.topics.userLogin).toBe('logins.raw');
    expect(config.topicPartitions).toBe(12);
    expect(config.kafka.ssl).toEqual({ rejectUnauthorized: true });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 'secret' });
  });

  it('when a variable is bad, then the error has code CONFIG_INVALID and names the variable and its value', () => {
    const err = configErrorOf(() => loadPipelineConfig({ TOPIC_PARTITIONS: 'six' }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/TOPIC_PARTITIONS/);
    expect(err.message).toMatch(/"six"/);
  });

  it('when the outage timeout or the compression codec is set, then it applies; a bad one is named', () => {
    expect(loadPipelineConfig({ KAFKA_OUTAGE_TIMEOUT_MS: '120000', KAFKA_COMPRESSION: 'zstd' })).toMatchObject({ outageTimeoutMs: 120_000, compression: 'zstd' });
    const err = configErrorOf(() => loadPipelineConfig({ KAFKA_OUTAGE_TIMEOUT_MS: '10', KAFKA_COMPRESSION: 'brotli' }));
    expect(err.message).toMatch(/KAFKA_OUTAGE_TIMEOUT_MS/);
    expect(err.message).toMatch(/KAFKA_COMPRESSION/);
  });

  it('when several variables are bad, then every one is named', () => {
    const err = configErrorOf(() => loadPipelineConfig({ KAFKA_BROKERS: 'no-port', KAFKA_SSL: 'maybe', TOPIC_DEAD_LETTER: 'bad topic!' }));
    expect(err.message).toMatch(/KAFKA_BROKERS/);
    expect(err.message).toMatch(/KAFKA_SSL/);
    expect(err.message).toMatch(/TOPIC_DEAD_LETTER/);
  });

  it('when SASL is asked for without credentials, then the missing variables are named', () => {
    const err = configErrorOf(() => loadPipelineConfig({ KAFKA_SASL_MECHANISM: 'plain' }));
    expect(err.message).toMatch(/KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD/);
  });

  it('when the CA file cannot be read, then KAFKA_SSL_CA_FILE is named', () => {
    const err = configErrorOf(() => loadPipelineConfig({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }));
    expect(err.message).toMatch(/KAFKA_SSL_CA_FILE/);
  });

  it('when loaded, then the config is frozen all the way down', () => {
    const config = loadPipelineConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kafka.brokers)).toBe(true);
    expect(() => {
      (config.topics as { userLogin: string }).userLogin = 'x';
    }).toThrow(TypeError);
  });

  it('when a variable is set to an empty string, then its default applies', () => {
    expect(loadPipelineConfig({ TOPIC_PARTITIONS: '' }).topicPartitions).toBe(3);
  });
});
