import { LoginStreamError } from '@login-stream/errors';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { loadProcessorConfig } from './processor-config';

function configError(env: Record<string, string>): LoginStreamError {
  try {
    loadProcessorConfig(env);
  } catch (err) {
    if (err instanceof LoginStreamError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('processor configuration', () => {
  it('when nothing is set, then the default rules, group and transactional id prefix apply', () => {
    const config = loadProcessorConfig({});
    expect(config.rules).toEqual({ ...DEFAULT_LOGIN_RULES });
    expect(config.groupId).toBe('login-processor');
    expect(config.summaryGroupId).toBe('login-processor-summary');
    expect(config.transactionalIdPrefix).toBe('login-processor');
    expect(config.maxBytesPerPartition).toBe(4 * 1024 * 1024);
  });

  it('when the rules are set, then required fields, device types and minimum version follow them', () => {
    const config = loadProcessorConfig({
      REQUIRED_FIELDS: 'user_id, timestamp, ip',
      SUPPORTED_DEVICE_TYPES: 'android,iOS,web',
      MIN_APP_VERSION: '3.1',
      MAX_FUTURE_SKEW_MS: '60000',
    });
    expect(config.rules).toEqual({
      requiredFields: ['user_id', 'timestamp', 'ip'],
      supportedDeviceTypes: ['android', 'iOS', 'web'],
      minAppVersion: '3.1',
      maxFutureSkewMs: 60000,
    });
  });

  it('when only the group id is set, then the transactional id prefix and summary group follow it', () => {
    const config = loadProcessorConfig({ CONSUMER_GROUP_ID: 'lp-test' });
    expect(config.transactionalIdPrefix).toBe('lp-test');
    expect(config.summaryGroupId).toBe('lp-test-summary');
  });

  it('when a required field is not a login field, then CONFIG_INVALID names REQUIRED_FIELDS', () => {
    const err = configError({ REQUIRED_FIELDS: 'user_id,colour' });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/REQUIRED_FIELDS/);
  });

  it('when the minimum app version is not a version, then CONFIG_INVALID names MIN_APP_VERSION and its value', () => {
    const err = configError({ MIN_APP_VERSION: 'two' });
    expect(err.message).toMatch(/MIN_APP_VERSION/);
    expect(err.message).toMatch(/"two"/);
  });
});
