import { createFastLoginCheck } from './login-fast-path';
import { DEFAULT_LOGIN_RULES } from './login-rules';
import type { LoginRules } from './login-rules';
import { createZodLoginValidator } from './login-validation';
import type { LoginValidation, NormalizedLogin } from './login-shape';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const clock = () => NOW;
const LENIENT_RULES: LoginRules = { ...DEFAULT_LOGIN_RULES, requiredFields: ['user_id', 'timestamp'] };
const fastCheck = createFastLoginCheck(DEFAULT_LOGIN_RULES, clock);
const lenientCheck = createFastLoginCheck(LENIENT_RULES, clock);
const byZod = createZodLoginValidator(DEFAULT_LOGIN_RULES, clock);

/** The login the fast path accepted; undefined when it rejected the record or declined it. */
function loginOf(result: LoginValidation | undefined): NormalizedLogin | undefined {
  return result?.ok === true ? result.login : undefined;
}
const accept = (input: unknown) => loginOf(fastCheck(input));
const acceptLenient = (input: unknown) => loginOf(lenientCheck(input));

const REFERENCE_JSON =
  '{"user_id":"424cdd21-063a-43a7-b91b-7ca1a833afae","app_version":"2.3.0","device_type":"android","ip":"199.172.111.135","locale":"RU","device_id":"593-47-5928","timestamp":"1694479551"}';

/** A fresh copy of the reference sample, parsed as the processor parses it, with changes. */
function sample(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(REFERENCE_JSON) as Record<string, unknown>), ...changes };
}

function without(field: string): Record<string, unknown> {
  const record = sample();
  delete record[field];
  return record;
}

describe('login fast path', () => {
  it('when the reference sample arrives, then it is accepted at 2023-09-12T00:45:51Z with every field as received', () => {
    expect(accept(sample())).toEqual({
      user_id: '424cdd21-063a-43a7-b91b-7ca1a833afae',
      app_version: '2.3.0',
      device_type: 'android',
      ip: '199.172.111.135',
      locale: 'RU',
      device_id: '593-47-5928',
      timestamp: '1694479551',
      event_time: '2023-09-12T00:45:51.000Z',
      event_time_ms: 1694479551000,
    });
  });

  it('when the login is accepted, then its keys come in the order zod gives them, so its JSON is the same', () => {
    expect(Object.keys(accept(sample({ campaign: 'spring' })) ?? {})).toEqual([
      'user_id',
      'device_id',
      'app_version',
      'device_type',
      'ip',
      'locale',
      'timestamp',
      'campaign',
      'event_time',
      'event_time_ms',
    ]);
  });

  it('when a record is accepted, rejected or declined, then the input itself is left as it came', () => {
    const accepted = sample({ device_type: 'IOS', locale: 'ru' });
    const rejected = sample({ device_type: 'IOS', locale: 'ru', ip: 'nope' });
    const declined = sample({ device_type: 'IOS', locale: 'ru', ip: 42 });
    expect(fastCheck(accepted)?.ok).toBe(true);
    expect(fastCheck(rejected)?.ok).toBe(false);
    expect(fastCheck(declined)).toBeUndefined();
    expect(accepted).toStrictEqual(sample({ device_type: 'IOS', locale: 'ru' }));
    expect(rejected).toStrictEqual(sample({ device_type: 'IOS', locale: 'ru', ip: 'nope' }));
    expect(declined).toStrictEqual(sample({ device_type: 'IOS', locale: 'ru', ip: 42 }));
  });

  it('when the record has own __proto__ and constructor keys, then the login keeps them as plain fields and its prototype stays Object.prototype', () => {
    const record = { ...sample(), ...(JSON.parse('{"__proto__":{"admin":true},"constructor":{"name":"x"}}') as object) };
    const login = accept(record) ?? {};
    expect(Object.keys(login)).toEqual([...Object.keys(accept(sample()) ?? {}).slice(0, 7), '__proto__', 'constructor', 'event_time', 'event_time_ms']);
    expect(Object.getPrototypeOf(login)).toBe(Object.prototype);
    expect((login as { admin?: unknown }).admin).toBeUndefined();
    expect(JSON.parse(JSON.stringify(login))).toMatchObject({ constructor: { name: 'x' } });
    expect(JSON.stringify(login)).toContain('"__proto__":{"admin":true},"constructor":{"name":"x"}');
  });

  it('when the record is frozen, has no prototype or is a class instance, then its fields are read all the same', () => {
    class Login {}
    const expected = accept(sample());
    expect(accept(Object.freeze(sample()))).toEqual(expected);
    expect(accept(Object.assign(Object.create(null) as object, sample()))).toEqual(expected);
    expect(accept(Object.assign(new Login(), sample()))).toEqual(expected);
  });

  it('when device_type and locale differ in case, then they come out canonical and upper case', () => {
    const login = accept(sample({ device_type: 'IOS', locale: 'en-us' }));
    expect(login?.device_type).toBe('iOS');
    expect(login?.locale).toBe('EN-US');
  });

  it.each([
    ['2.10.0 (compared as a version)', '2.10.0'],
    ['MAJOR.MINOR', '2.3'],
    ['a later major', '10.0.0'],
    ['fifteen-digit components', '999999999999999.0.0'],
  ])('when app_version is %s, then it is accepted', (_label, app_version) => {
    expect(accept(sample({ app_version }))?.app_version).toBe(app_version);
  });

  it.each([
    ['IPv6', '2001:db8::1'],
    ['IPv4-mapped IPv6', '::ffff:1.2.3.4'],
    ['the lowest IPv4', '0.0.0.0'],
    ['the highest IPv4', '255.255.255.255'],
  ])('when ip is %s, then isIP accepts it', (_label, ip) => {
    expect(accept(sample({ ip }))?.ip).toBe(ip);
  });

  it.each([
    ['epoch seconds', 1694479551],
    ['epoch milliseconds', 1694479551000],
    ['ISO-8601 with an offset', '2023-09-12T02:45:51+02:00'],
  ])('when the timestamp is %s, then it is kept as received beside its event time', (_label, timestamp) => {
    const login = accept(sample({ timestamp }));
    expect(login?.timestamp).toBe(timestamp);
    expect(login?.event_time).toBe('2023-09-12T00:45:51.000Z');
  });

  it('when logins alternate between times that share a cache slot, then each gets its own event time', () => {
    const times = [1694479551, 1694479559, 1694479551.5, 1694479551];
    expect(times.map((timestamp) => accept(sample({ timestamp }))?.event_time)).toEqual([
      '2023-09-12T00:45:51.000Z',
      '2023-09-12T00:45:59.000Z',
      '2023-09-12T00:45:51.500Z',
      '2023-09-12T00:45:51.000Z',
    ]);
  });

  it('when the event carries unknown fields, then they are kept untouched', () => {
    const nested = { source: 'web', tags: ['a'] };
    const login = accept(sample({ campaign: nested, event_time: 'bogus' }));
    expect(login?.['campaign']).toBe(nested);
    expect(login?.event_time).toBe('2023-09-12T00:45:51.000Z');
  });

  it('when an optional field is absent or undefined, then the login is accepted without it', () => {
    expect(acceptLenient({ user_id: 'u1', timestamp: 1694479551 })).toEqual({
      user_id: 'u1',
      timestamp: 1694479551,
      event_time: '2023-09-12T00:45:51.000Z',
      event_time_ms: 1694479551000,
    });
    expect(acceptLenient({ user_id: 'u1', locale: undefined, timestamp: 1694479551 })).toHaveProperty('locale', undefined);
  });

  it('when ids are exactly 256 characters, then they are accepted', () => {
    expect(accept(sample({ user_id: 'u'.repeat(256), device_id: 'd'.repeat(256) }))).toBeDefined();
  });

  describe('rejects exactly as zod does', () => {
    /** The fast path's answer, which must be a rejection and equal zod's, codes in order. */
    function rejectionCodes(input: Record<string, unknown>, validate = fastCheck, zod = byZod): string[] {
      const answer = validate(input);
      expect(answer).toEqual(zod(input));
      // Key order too: the rejections are written to the DLQ as JSON.
      expect(JSON.stringify(answer)).toBe(JSON.stringify(zod(input)));
      return answer?.ok === false ? answer.rejections.map((r) => r.code) : [];
    }

    it.each(['user_id', 'app_version', 'device_type', 'ip', 'locale', 'device_id', 'timestamp'])('when %s is missing', (field) => {
      expect(fastCheck(without(field))).toEqual({ ok: false, rejections: [{ code: 'MISSING_FIELD', field, message: `${field} is missing` }] });
      expect(rejectionCodes(without(field))).toEqual(['MISSING_FIELD']);
    });

    it.each(['user_id', 'timestamp'])('when %s is present but undefined', (field) => {
      expect(rejectionCodes(sample({ [field]: undefined }), lenientCheck, createZodLoginValidator(LENIENT_RULES, clock))).toEqual(['MISSING_FIELD']);
    });

    it('when app_version is below the minimum, even though 2.10.0 is above it', () => {
      expect(rejectionCodes(sample({ app_version: '2.2.9' }))).toEqual(['APP_VERSION_TOO_OLD']);
    });

    it.each(['999.999.999.999', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', 'localhost', ':::'])('when ip is %s', (ip) => {
      expect(rejectionCodes(sample({ ip }))).toEqual(['INVALID_IP']);
    });

    it.each(['windows-phone', 'andr oid', 'x'.repeat(100)])('when device_type is %s', (device_type) => {
      expect(rejectionCodes(sample({ device_type }))).toEqual(['UNSUPPORTED_DEVICE_TYPE']);
    });

    it.each(['e', 'english', '12', 'en-', 'en-US-'])('when locale is %s', (locale) => {
      expect(rejectionCodes(sample({ locale }))).toEqual(['INVALID_LOCALE']);
    });

    it.each([
      ['zero', 0, 'INVALID_TIMESTAMP'],
      ['negative', -1, 'INVALID_TIMESTAMP'],
      ['not a time', 'yesterday', 'INVALID_TIMESTAMP'],
      ['far in the future', Math.floor(NOW / 1000) + 2 * 24 * 3600, 'TIMESTAMP_OUT_OF_RANGE'],
    ])('when the timestamp is %s', (_label, timestamp, code) => {
      expect(rejectionCodes(sample({ timestamp }))).toEqual([code]);
    });

    it('when several rules are broken, then each is reported, in the order of the schema’s fields', () => {
      const record = { ...without('device_id'), timestamp: -1, locale: 'english', ip: 'nope', app_version: '1.0' };
      expect(rejectionCodes(record)).toEqual(['MISSING_FIELD', 'APP_VERSION_TOO_OLD', 'INVALID_IP', 'INVALID_LOCALE', 'INVALID_TIMESTAMP']);
    });
  });

  describe('declines, leaving the decision to zod', () => {
    it.each(['user_id', 'app_version', 'device_type', 'ip', 'locale', 'device_id', 'timestamp'])('when %s is null', (field) => {
      expect(fastCheck(sample({ [field]: null }))).toBeUndefined();
    });

    it.each(['app_version', 'device_type', 'ip', 'locale', 'device_id'])('when optional %s is null', (field) => {
      expect(lenientCheck({ user_id: 'u1', timestamp: 1694479551, [field]: null })).toBeUndefined();
    });

    it.each([
      ['a leading space', (v: string) => ` ${v}`],
      ['a trailing space', (v: string) => `${v} `],
      ['a tab', (v: string) => `\t${v}`],
      ['a newline', (v: string) => `${v}\n`],
      ['a no-break space', (v: string) => `\u00a0${v}`],
      ['a byte order mark', (v: string) => `${v}\ufeff`],
      ['an ideographic space', (v: string) => `\u3000${v}`],
    ])('when a string field is padded with %s', (_label, pad) => {
      // Not the timestamp: parseEventTime itself allows blanks around epoch digits.
      for (const field of ['user_id', 'app_version', 'device_type', 'ip', 'locale', 'device_id']) {
        const record = sample();
        expect(fastCheck({ ...record, [field]: pad(record[field] as string) })).toBeUndefined();
      }
    });

    it.each([
      ['a prerelease', '2.3.0-beta'],
      ['with build metadata', '2.3.0+build.1'],
      ['v-prefixed', 'v2.3.0'],
      ['with a leading zero', '02.3.0'],
      ['a single number', '2'],
      ['four components', '2.3.0.1'],
      ['ending in a dot', '2.3.'],
      ['with an empty component', '2..3'],
      ['sixteen-digit components', '1000000000000000.0.0'],
      ['non-ASCII digits', '٢.٣.٠'],
      ['empty', ''],
    ])('when app_version is %s', (_label, app_version) => {
      expect(fastCheck(sample({ app_version }))).toBeUndefined();
    });

    it.each(['user_id', 'app_version', 'device_type', 'ip', 'locale', 'device_id'])('when %s is an empty string', (field) => {
      expect(fastCheck(sample({ [field]: '' }))).toBeUndefined();
    });

    it.each([
      ['a boolean', true],
      ['null', null],
      ['blank', '  '],
    ])('when the timestamp is %s', (_label, timestamp) => {
      expect(fastCheck(sample({ timestamp }))).toBeUndefined();
    });

    it.each([
      ['a number', 42],
      ['an object', { id: 'u1' }],
      ['an array', ['u1']],
    ])('when user_id is %s', (_label, user_id) => {
      expect(fastCheck(sample({ user_id }))).toBeUndefined();
    });

    it('when an id is longer than 256 UTF-16 units, even if zod would count fewer code points', () => {
      expect(fastCheck(sample({ user_id: 'u'.repeat(257) }))).toBeUndefined();
      expect(fastCheck(sample({ device_id: '😀'.repeat(200) }))).toBeUndefined();
    });

    it.each([
      ['null', null],
      ['a number', 42],
      ['a string', REFERENCE_JSON],
      ['an array', [JSON.parse(REFERENCE_JSON)]],
    ])('when the input is %s', (_label, input) => {
      expect(fastCheck(input)).toBeUndefined();
    });
  });

  it('when the rules configure other device types and a higher minimum, then those apply', () => {
    const rules: LoginRules = { ...DEFAULT_LOGIN_RULES, supportedDeviceTypes: ['Web', 'android'], minAppVersion: '2.10' };
    const check = createFastLoginCheck(rules, clock);
    expect(loginOf(check(sample({ device_type: 'WEB', app_version: '2.10.0' })))?.device_type).toBe('Web');
    expect(check(sample({ device_type: 'iOS', app_version: '2.10.0' }))).toMatchObject({ ok: false, rejections: [{ code: 'UNSUPPORTED_DEVICE_TYPE' }] });
    expect(check(sample({ app_version: '2.9.9' }))).toMatchObject({ ok: false, rejections: [{ code: 'APP_VERSION_TOO_OLD' }] });
  });

  it('when the minimum is a prerelease, then its release passes, as semver orders it after', () => {
    const check = createFastLoginCheck({ ...DEFAULT_LOGIN_RULES, minAppVersion: '2.3.0-beta.2' }, clock);
    expect(check(sample({ app_version: '2.3.0' }))?.ok).toBe(true);
    expect(check(sample({ app_version: '2.2.99' }))).toMatchObject({ ok: false, rejections: [{ code: 'APP_VERSION_TOO_OLD' }] });
  });

  it('when the minimum app version is not a version, then building the check fails', () => {
    expect(() => createFastLoginCheck({ ...DEFAULT_LOGIN_RULES, minAppVersion: 'latest' }, clock)).toThrow('not a version');
  });
});
