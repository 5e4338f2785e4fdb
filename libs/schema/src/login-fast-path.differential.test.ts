import { createFastLoginCheck } from './login-fast-path';
import { DEFAULT_LOGIN_RULES } from './login-rules';
import type { LoginRules } from './login-rules';
import { createLoginValidator, createZodLoginValidator } from './login-validation';
import type { LoginValidation, NormalizedLogin } from './login-shape';
import { LOGIN_FIELDS } from './raw-login';
import { seededRandom } from '@login-stream/kafka-testing';

// Holds the fast path to zod, the source of truth, over many generated logins: valid ones and
// ones with one to three things changed (removed, null, mistyped, padded, recased, edge values,
// extra keys). Seeded, so a failure replays.

const NOW = Date.parse('2026-11-22T12:00:00Z');
const NOW_S = Math.floor(NOW / 1000);
const clock = () => NOW;

interface Scenario {
  readonly name: string;
  readonly rules: LoginRules;
  /** Versions these rules accept, in the plain forms the fast path proves. */
  readonly validVersions: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'the default rules', rules: DEFAULT_LOGIN_RULES, validVersions: ['2.3.0', '2.3.1', '2.4.0', '2.10.0', '3.0.0', '2.3', '10.2'] },
  {
    name: 'only user_id and timestamp required',
    rules: { ...DEFAULT_LOGIN_RULES, requiredFields: ['user_id', 'timestamp'] },
    validVersions: ['2.3.0', '2.5.2', '2.10'],
  },
  {
    name: 'other device types, a MAJOR.MINOR minimum and a short skew',
    rules: { ...DEFAULT_LOGIN_RULES, supportedDeviceTypes: ['Web', 'ANDROID', 'iPadOS'], minAppVersion: '2.10', maxFutureSkewMs: 60_000 },
    validVersions: ['2.10.0', '2.10', '2.11.3', '3.0.0'],
  },
  {
    name: 'a prerelease minimum and some optional fields',
    rules: { ...DEFAULT_LOGIN_RULES, requiredFields: ['device_id', 'ip'], minAppVersion: '3.0.0-rc.1' },
    validVersions: ['3.0.0', '3.0', '3.1.0', '4.0.0'],
  },
  { name: 'nothing but the key and time required', rules: { ...DEFAULT_LOGIN_RULES, requiredFields: [], minAppVersion: '0.0.1' }, validVersions: ['0.0.1', '0.1', '1.0.0'] },
];

const VERSION_EDGES = [
  '2.2.9', '2.3.0', '2.10.0', '02.3.0', 'v2.3.0', '=2.3.0', '2.3', '2.10', '2.9.9', '2.3.0-beta', '2.3.0+build', '3.0.0-rc.1', '3.0.0-rc.2',
  '0.0.0', '0.0.1', '1.0', '', '2', '2.3.', '2..3', '2.3.0.1', '2.3.x', '999999999999999.0.0', '9999999999999999.0.0',
  '18446744073709551616.0.0', '٢.٣.٠',
];
const IP_EDGES = [
  '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5', '999.999.999.999', '::', '::1', '2001:db8::1',
  '::ffff:1.2.3.4', 'fe80::1%eth0', '2001:db8::g', '1:2:3:4:5:6:7:8:9', 'localhost', '', '١.2.3.4',
];
const TIMESTAMP_EDGES: readonly unknown[] = [
  1694479551, '1694479551', 1694479551000, '1694479551000', 1694479551.5, '2023-09-12T00:45:51Z', '2023-09-12T02:45:51+02:00',
  '2023-09-12T00:45:51.123456Z', '2023-02-30T00:00:00Z', '2024-02-29T00:00:00Z', '2024-01-01T24:00:00Z', -1, 0, '0', '-5', 1e-4, 4e-4, 5e-4, '0.0004', NOW_S + 30, NOW_S + 3600, NOW_S + 2 * 86_400, NOW + 1000, 1e20,
  ' 1694479551', '1694479551 ', '1e9', 'yesterday', '', true, Number.NaN, Number.POSITIVE_INFINITY, {}, [],
];
const LOCALE_EDGES = ['ru', 'RU', 'en-US', 'en_us', 'zh-Hant-TW', 'e', 'english', '12', 'en-', 'EN-US-POSIX123', 'de-123456789', 'ΕΛ', 'ß'];
const DEVICE_TYPE_EDGES = ['ANDROID', 'ios', 'Ios', 'iOS', 'web', 'WEB', 'ipados', 'windows', '', 'İOS', 'andr oid'];
const ID_EDGES = ['', 'x'.repeat(256), 'x'.repeat(257), '😀'.repeat(128), '😀'.repeat(129), 'é', 'a\u200b', '\u200bb', 'a b', '-', 'u\ud800', '\udc00u', '\ud83d'];
const PADS = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\ufeff', '\u1680', '\u2000', '\u2028', '\u2029', '\u202f', '\u3000', '\u200b'];
const EXTRAS: readonly Record<string, unknown>[] = [
  { campaign: 'spring' },
  { nested: { a: [1, 2], b: null } },
  { event_time: 'bogus' },
  { event_time_ms: -1 },
  { constructor: 'x' },
  { 0: 'zero' },
  { toString: 1 },
  { hasOwnProperty: null },
  JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>,
  { deep: JSON.parse(`${'['.repeat(300)}${']'.repeat(300)}`) as unknown },
  { deep: JSON.parse(`${'{"a":'.repeat(254)}1${'}'.repeat(254)}`) as unknown },
];
const EDGES: Record<string, readonly unknown[]> = {
  user_id: ID_EDGES,
  device_id: ID_EDGES,
  app_version: VERSION_EDGES,
  device_type: DEVICE_TYPE_EDGES,
  ip: IP_EDGES,
  locale: LOCALE_EDGES,
  timestamp: TIMESTAMP_EDGES,
};

function generator(seed: number, scenario: Scenario) {
  const random = seededRandom(seed);
  const below = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)];
  const hex = (length: number) => Array.from({ length }, () => '0123456789abcdef'[below(16)]).join('');
  const recase = (s: string) => [...s].map((c) => (random() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + below(26))).join('');

  const timestampOf = (seconds: number): unknown => {
    switch (below(5)) {
      case 0:
        return seconds;
      case 1:
        return String(seconds);
      case 2:
        return seconds * 1000 + below(1000);
      case 3:
        return String(seconds * 1000);
      default:
        return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    }
  };

  const valid = (): Record<string, unknown> => {
    const fields: Record<string, unknown> = {
      user_id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      app_version: pick(scenario.validVersions),
      device_type: random() < 0.8 ? pick(scenario.rules.supportedDeviceTypes) : recase(pick(scenario.rules.supportedDeviceTypes)),
      ip: random() < 0.9 ? Array.from({ length: 4 }, () => below(256)).join('.') : `2001:db8::${hex(4)}`,
      locale: random() < 0.8 ? letters(2).toUpperCase() : `${letters(2)}-${letters(2).toUpperCase()}`,
      device_id: random() < 0.5 ? `${below(1000)}-${below(100)}-${below(10_000)}` : hex(32),
      timestamp: timestampOf(NOW_S - below(30 * 86_400)),
    };
    const required = new Set<string>([...scenario.rules.requiredFields, 'user_id', 'timestamp']);
    for (const field of LOGIN_FIELDS) if (!required.has(field) && random() < 0.3) delete fields[field];
    const entries = Object.entries(fields);
    // Mostly the producer's order, sometimes shuffled.
    if (random() < 0.2) entries.sort(() => random() - 0.5);
    return Object.fromEntries(entries);
  };

  // Spreads and fromEntries, never assignment: an own "__proto__" key must stay a key.
  const mutate = (record: Record<string, unknown>): Record<string, unknown> => {
    const field = random() < 0.9 ? pick(LOGIN_FIELDS) : pick(Object.keys(record));
    const value = record[field];
    const text = typeof value === 'string' ? value : String(value);
    switch (below(9)) {
      case 0:
        return Object.fromEntries(Object.entries(record).filter(([key]) => key !== field));
      case 1:
        return { ...record, [field]: null };
      case 2:
        return { ...record, [field]: undefined };
      case 3:
        return { ...record, [field]: pick<unknown>([42, 1694479551, true, {}, [], [text]]) };
      case 4:
        return { ...record, [field]: random() < 0.5 ? pick(PADS) + text : text + pick(PADS) };
      case 5:
        return { ...record, [field]: pick([text.toUpperCase(), text.toLowerCase(), recase(text)]) };
      case 6:
        return { ...record, ...pick(EXTRAS) };
      default:
        return { ...record, [field]: pick(EDGES[field] ?? ID_EDGES) };
    }
  };

  return {
    valid,
    mutated: (): Record<string, unknown> => {
      let record = valid();
      for (let changes = 1 + below(3); changes > 0; changes--) record = mutate(record);
      return record;
    },
  };
}

function loginOf(result: LoginValidation | undefined): NormalizedLogin | undefined {
  return result?.ok === true ? result.login : undefined;
}

/** The input as text, own keys in order and undefined values included, for failure messages. */
function show(input: unknown): string {
  if (typeof input !== 'object' || input === null) return String(input);
  const own = Object.getOwnPropertyNames(input).map((key) => `${JSON.stringify(key)}: ${JSON.stringify((input as Record<string, unknown>)[key]) ?? 'undefined'}`);
  return `{ ${own.join(', ')} }`;
}

/**
 * What must match between two answers for one input: the login deep-equal (toEqual), its keys
 * in the same order (undefined ones too), its JSON and its prototype. The input rides along so
 * a failing diff names it.
 */
function view(input: unknown, login: NormalizedLogin | undefined) {
  return {
    input: show(input),
    login,
    keys: login === undefined ? undefined : Object.keys(login),
    json: JSON.stringify(login),
    plain: login === undefined || Object.getPrototypeOf(login) === Object.prototype,
  };
}

interface Answers {
  readonly input: unknown;
  /** A shallow copy taken before validating: neither path writes below the top level. */
  readonly before: unknown;
  /** undefined when the fast path declined, leaving the input to zod. */
  readonly fast: LoginValidation | undefined;
  readonly byZod: LoginValidation;
  readonly combined: LoginValidation;
}

/** Compares in bulk: one expect per property over all inputs, as an expect per input is slow. */
function expectSameAsZod(answers: readonly Answers[]): void {
  const taken = answers.filter((a) => a.fast !== undefined);
  // Whenever the fast path answers, zod answers the same: the same login or the same rejections,
  // down to the JSON (key order included) that goes into a dead letter's headers.
  const same = (a: Answers, result: LoginValidation | undefined) => ({ ...view(a.input, loginOf(result)), result, resultJson: JSON.stringify(result) });
  expect(taken.map((a) => same(a, a.fast))).toEqual(taken.map((a) => same(a, a.byZod)));
  // The validator answers exactly as zod alone: ok, login, rejections.
  expect(answers.map((a) => same(a, a.combined))).toEqual(answers.map((a) => same(a, a.byZod)));
  // And the input is left as it came.
  expect(answers.map((a) => a.input)).toStrictEqual(answers.map((a) => a.before));
}

describe('login fast path against zod', () => {
  describe.each(SCENARIOS.map((scenario, i) => [scenario.name, scenario, i] as const))('under %s', (_name, scenario, i) => {
    const fastCheck = createFastLoginCheck(scenario.rules, clock);
    const validateWithZod = createZodLoginValidator(scenario.rules, clock);
    const validate = createLoginValidator(scenario.rules, clock);
    const generate = generator(1000 + i, scenario);
    const answer = (input: Record<string, unknown>): Answers => {
      const before = { ...input };
      return { input, before, fast: fastCheck(input), byZod: validateWithZod(input), combined: validate(input) };
    };

    it('when a login is valid, then the fast path takes it and gives exactly zod’s login', () => {
      const answers = Array.from({ length: 300 }, () => answer(generate.valid()));
      expectSameAsZod(answers);
      expect(answers.filter((a) => a.fast?.ok !== true).map((a) => show(a.input))).toEqual([]);
    });

    it('when a login has things changed, then the validator answers exactly as zod alone, and the fast path never differs', () => {
      const answers = Array.from({ length: 1500 }, () => answer(generate.mutated()));
      expectSameAsZod(answers);
      const valid = answers.filter((a) => a.byZod.ok).length;
      const acceptedFast = answers.filter((a) => a.fast?.ok === true).length;
      const rejectedFast = answers.filter((a) => a.fast?.ok === false).length;
      const declined = answers.filter((a) => a.fast === undefined).length;
      // Every outcome occurs often, and the fast path declines some valid logins (to zod).
      expect(valid).toBeGreaterThan(200);
      expect(answers.length - valid).toBeGreaterThan(500);
      expect(acceptedFast).toBeGreaterThan(100);
      expect(acceptedFast).toBeLessThan(valid);
      expect(rejectedFast).toBeGreaterThan(100);
      expect(declined).toBeGreaterThan(100);
    });
  });

  it('when the input is not a plain JSON object, then the validator still answers exactly as zod alone', () => {
    const fastCheck = createFastLoginCheck(DEFAULT_LOGIN_RULES, clock);
    const validateWithZod = createZodLoginValidator(DEFAULT_LOGIN_RULES, clock);
    const validate = createLoginValidator(DEFAULT_LOGIN_RULES, clock);
    const login = generator(7, SCENARIOS[0]).valid;
    class Login {}
    const inputs: unknown[] = [
      null,
      42,
      'text',
      true,
      [],
      [login()],
      Object.assign(Object.create(null) as object, login()),
      Object.assign(new Login(), login()),
      Object.freeze(login()),
      Object.create(login()),
      Object.defineProperty(login(), 'ip', { get: () => '10.0.0.1', enumerable: true }),
      Object.defineProperty(login(), 'secret', { value: 's', enumerable: false }),
      Object.defineProperty({ ...login(), campaign: 'spring' }, 'ip', { value: '10.0.0.1', enumerable: false }),
      { ...login(), [Symbol('tag')]: 1 },
      new Map(Object.entries(login())),
    ];
    expectSameAsZod(
      inputs.map((input) => ({ input, before: input, fast: fastCheck(input), byZod: validateWithZod(input), combined: validate(input) })),
    );
  });
});
