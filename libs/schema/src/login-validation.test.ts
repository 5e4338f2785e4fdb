import { DEFAULT_LOGIN_RULES } from './login-rules';
import { MAX_NESTING_DEPTH } from './login-shape';
import { createLoginValidator } from './login-validation';
import type { LoginValidation } from './login-shape';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const validate = createLoginValidator(DEFAULT_LOGIN_RULES, () => NOW);

const REFERENCE_SAMPLE = {
  user_id: '424cdd21-063a-43a7-b91b-7ca1a833afae',
  app_version: '2.3.0',
  device_type: 'android',
  ip: '199.172.111.135',
  locale: 'RU',
  device_id: '593-47-5928',
  timestamp: '1694479551',
};

function rejectionsOf(result: LoginValidation) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.login)}`);
  return result.rejections.map((r) => ({ code: r.code, field: r.field }));
}

function loginOf(result: LoginValidation) {
  if (!result.ok) throw new Error(`expected a valid login, got ${JSON.stringify(result.rejections)}`);
  return result.login;
}

describe('login validation', () => {
  it('when the reference sample arrives with a string timestamp, then it is valid at 2023-09-12T00:45:51Z', () => {
    const login = loginOf(validate(REFERENCE_SAMPLE));
    expect(login.event_time).toBe('2023-09-12T00:45:51.000Z');
    expect(login.event_time_ms).toBe(1694479551000);
    expect(login.timestamp).toBe('1694479551');
    expect(login.user_id).toBe(REFERENCE_SAMPLE.user_id);
  });

  it('when user_id is missing, then it is rejected as a missing user_id', () => {
    const { user_id: _omitted, ...withoutUser } = REFERENCE_SAMPLE;
    expect(rejectionsOf(validate(withoutUser))).toEqual([{ code: 'MISSING_FIELD', field: 'user_id' }]);
  });

  it('when device_type is missing, then the rejection names device_type', () => {
    const { device_type: _omitted, ...event } = REFERENCE_SAMPLE;
    expect(rejectionsOf(validate(event))).toEqual([{ code: 'MISSING_FIELD', field: 'device_type' }]);
  });

  it('when several rules fail, then every failure is reported', () => {
    const result = validate({ ...REFERENCE_SAMPLE, ip: 'nope', app_version: '1.0.0', device_type: null });
    expect(rejectionsOf(result)).toEqual(
      expect.arrayContaining([
        { code: 'INVALID_IP', field: 'ip' },
        { code: 'APP_VERSION_TOO_OLD', field: 'app_version' },
        { code: 'MISSING_FIELD', field: 'device_type' },
      ]),
    );
  });

  describe('timestamp', () => {
    it.each([
      ['epoch seconds as a number', 1694479551],
      ['epoch seconds as a string', '1694479551'],
      ['epoch milliseconds', 1694479551000],
      ['epoch milliseconds as a string', '1694479551000'],
      ['ISO-8601 UTC', '2023-09-12T00:45:51Z'],
      ['ISO-8601 with an offset', '2023-09-12T02:45:51+02:00'],
    ])('when it is %s, then it is read as 2023-09-12T00:45:51Z', (_label, timestamp) => {
      expect(loginOf(validate({ ...REFERENCE_SAMPLE, timestamp })).event_time).toBe('2023-09-12T00:45:51.000Z');
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['non-numeric', 'yesterday'],
      ['a boolean', true],
      ['not finite', Number.POSITIVE_INFINITY],
    ])('when it is %s, then it is rejected as an invalid timestamp', (_label, timestamp) => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp }))).toEqual([{ code: 'INVALID_TIMESTAMP', field: 'timestamp' }]);
    });

    it.each([
      ['a tenth of a millisecond in epoch seconds', 0.0001],
      ['0.4 ms in epoch seconds', 0.0004],
      ['0.4 ms in epoch seconds, as a string', '0.0004'],
      ['zero as a string', '0'],
    ])('when it is %s, so 0 ms once rounded, then it is rejected as an invalid timestamp like zero', (_label, timestamp) => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp }))).toEqual([{ code: 'INVALID_TIMESTAMP', field: 'timestamp' }]);
    });

    it('when it rounds to the first millisecond after the epoch, then it is accepted as 1 ms', () => {
      expect(loginOf(validate({ ...REFERENCE_SAMPLE, timestamp: 0.0005 })).event_time_ms).toBe(1);
    });

    it.each([
      ['February 30th', '2024-02-30T00:00:00Z'],
      ['February 29th of a common year', '2023-02-29T00:00:00Z'],
      ['February 29th of a century that is not a leap year', '2100-02-29T00:00:00Z'],
      ['April 31st', '2024-04-31T12:00:00Z'],
      ['month 13', '2024-13-01T00:00:00Z'],
      ['day 0', '2024-01-00T00:00:00Z'],
      ['hour 24', '2024-01-01T24:00:00Z'],
      ['minute 60', '2024-01-01T23:60:00Z'],
      ['second 60', '2024-01-01T23:59:60Z'],
      ['a zone 24 hours away', '2024-01-01T12:00:00+24:00'],
    ])('when it is an ISO date that does not exist (%s), then it is rejected as an invalid timestamp', (_label, timestamp) => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp }))).toEqual([{ code: 'INVALID_TIMESTAMP', field: 'timestamp' }]);
    });

    it.each([
      ['February 29th of a leap year', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
      ['February 29th of a 400th year', '2000-02-29T00:00:00+01:00', '2000-02-28T23:00:00.000Z'],
      ['the last second of a year', '2023-12-31T23:59:59.999Z', '2023-12-31T23:59:59.999Z'],
    ])('when it is an ISO date that exists (%s), then it is accepted', (_label, timestamp, eventTime) => {
      expect(loginOf(validate({ ...REFERENCE_SAMPLE, timestamp })).event_time).toBe(eventTime);
    });

    it('when it is after the year 9999, then it is out of range even when the rules allow any future skew', () => {
      const anySkew = createLoginValidator({ ...DEFAULT_LOGIN_RULES, maxFutureSkewMs: Number.MAX_SAFE_INTEGER }, () => NOW);
      expect(loginOf(anySkew({ ...REFERENCE_SAMPLE, timestamp: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })).event_time).toBe('9999-12-31T23:59:59.999Z');
      for (const timestamp of [Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1, 1e20, '9000000000000000']) {
        expect(rejectionsOf(anySkew({ ...REFERENCE_SAMPLE, timestamp }))).toEqual([{ code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp' }]);
      }
    });

    it('when it is far in the future, then it is rejected as out of range', () => {
      const nextYear = Math.floor(NOW / 1000) + 365 * 24 * 3600;
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp: nextYear }))).toEqual([
        { code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp' },
      ]);
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp: 1e20 }))).toEqual([
        { code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp' },
      ]);
    });

    it('when it is missing, then it is rejected as a missing field', () => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, timestamp: undefined }))).toEqual([{ code: 'MISSING_FIELD', field: 'timestamp' }]);
    });
  });

  describe('app_version', () => {
    it('when it is 2.10.0 and the minimum is 2.3.0, then it passes (compared as a version, not a string)', () => {
      expect(validate({ ...REFERENCE_SAMPLE, app_version: '2.10.0' }).ok).toBe(true);
    });

    it('when it is 2.2.9, then it is rejected as too old', () => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, app_version: '2.2.9' }))).toEqual([
        { code: 'APP_VERSION_TOO_OLD', field: 'app_version' },
      ]);
    });

    it('when it is not a version, then it is rejected as invalid', () => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, app_version: 'latest' }))).toEqual([
        { code: 'INVALID_APP_VERSION', field: 'app_version' },
      ]);
    });
  });

  describe('device_type', () => {
    it.each(['IOS', 'ios', 'iOS'])('when it is %s, then it is emitted as iOS', (device_type) => {
      expect(loginOf(validate({ ...REFERENCE_SAMPLE, device_type })).device_type).toBe('iOS');
    });

    it('when it is not supported, then it is rejected', () => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, device_type: 'windows-phone' }))).toEqual([
        { code: 'UNSUPPORTED_DEVICE_TYPE', field: 'device_type' },
      ]);
    });

    it('when the supported types are configured, then only those pass', () => {
      const webOnly = createLoginValidator({ ...DEFAULT_LOGIN_RULES, supportedDeviceTypes: ['web'] }, () => NOW);
      expect(webOnly({ ...REFERENCE_SAMPLE, device_type: 'WEB' }).ok).toBe(true);
      expect(webOnly(REFERENCE_SAMPLE).ok).toBe(false);
    });
  });

  describe('ip', () => {
    it.each(['999.999.999.999', '1.2.3', 'localhost'])('when it is %s, then it is rejected', (ip) => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, ip }))).toEqual([{ code: 'INVALID_IP', field: 'ip' }]);
    });

    it('when it is IPv6, then it passes', () => {
      expect(validate({ ...REFERENCE_SAMPLE, ip: '2001:db8::1' }).ok).toBe(true);
    });
  });

  it('when locale is lower case, then it is emitted upper case', () => {
    expect(loginOf(validate({ ...REFERENCE_SAMPLE, locale: 'ru' })).locale).toBe('RU');
  });

  describe('user_id', () => {
    it.each([
      ['a lone high surrogate', 'user-\ud800'],
      ['a lone low surrogate', 'user-\udc00'],
      ['a high surrogate before a non-surrogate', '\ud83dx'],
    ])('when it holds %s (no UTF-8 form, so no key), then it is rejected as INVALID_UNICODE naming user_id', (_label, user_id) => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, user_id }))).toEqual([{ code: 'INVALID_UNICODE', field: 'user_id' }]);
    });

    it('when two ids differ only in their lone surrogates, then neither is accepted (they would share one key)', () => {
      const ids = JSON.parse('["u\\ud800", "u\\udbff"]') as string[];
      expect(Buffer.from(ids[0]).equals(Buffer.from(ids[1]))).toBe(true);
      for (const user_id of ids) expect(validate({ ...REFERENCE_SAMPLE, user_id }).ok).toBe(false);
    });

    it('when it holds a surrogate pair (an emoji), then it is accepted', () => {
      expect(loginOf(validate({ ...REFERENCE_SAMPLE, user_id: 'user-😀' })).user_id).toBe('user-😀');
    });
  });

  describe('nesting', () => {
    const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

    it('when an extra field nests 100,000 levels deep, then the login is rejected as NESTING_TOO_DEEP naming the field', () => {
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, payload: nested(100_000) }))).toEqual([{ code: 'NESTING_TOO_DEEP', field: 'payload' }]);
    });

    it('when the login nests exactly MAX_NESTING_DEPTH levels, then it is accepted, one more is rejected', () => {
      // The login is level 1, so its field may hold 255 levels.
      expect(validate({ ...REFERENCE_SAMPLE, payload: nested(MAX_NESTING_DEPTH - 1) }).ok).toBe(true);
      expect(rejectionsOf(validate({ ...REFERENCE_SAMPLE, payload: nested(MAX_NESTING_DEPTH) }))).toEqual([{ code: 'NESTING_TOO_DEEP', field: 'payload' }]);
    });
  });

  it('when the event carries unknown fields, then they are kept', () => {
    expect(loginOf(validate({ ...REFERENCE_SAMPLE, campaign: 'spring' }))['campaign']).toBe('spring');
  });

  it('when a field is not required by the rules, then its absence is accepted', () => {
    const lenient = createLoginValidator({ ...DEFAULT_LOGIN_RULES, requiredFields: ['user_id', 'timestamp'] }, () => NOW);
    expect(lenient({ user_id: 'u1', timestamp: 1694479551 }).ok).toBe(true);
  });

  it('when the input is not an object, then it is rejected as such', () => {
    expect(rejectionsOf(validate([REFERENCE_SAMPLE]))).toEqual([{ code: 'NOT_AN_OBJECT', field: undefined }]);
    expect(rejectionsOf(validate(42))).toEqual([{ code: 'NOT_AN_OBJECT', field: undefined }]);
  });
});
