import { DEFAULT_LOGIN_RULES, createLoginValidator } from '@login-stream/schema';
import type { RejectionCode } from '@login-stream/schema';
import { BAD_LOGIN_KINDS } from './bad-logins';
import type { BadLoginKind, GeneratedLogin } from './bad-logins';
import { createLoginGenerator } from './login-generator';
import type { LoginGeneratorOptions } from './login-generator';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function generate(count: number, overrides: Partial<LoginGeneratorOptions> = {}): GeneratedLogin[] {
  const generator = createLoginGenerator({
    seed: 42,
    users: 2_000,
    badShare: 0.1,
    lateShare: 0.05,
    maxLatenessMs: 600_000,
    clock: () => NOW,
    ...overrides,
  });
  return Array.from({ length: count }, () => generator.next());
}

const validate = createLoginValidator(DEFAULT_LOGIN_RULES, () => NOW);
const logins = generate(20_000);
const records = (kind: GeneratedLogin['kind']) =>
  logins.filter((l): l is Extract<GeneratedLogin, { record: unknown }> => l.kind === kind && 'record' in l).map((l) => l.record);

const EXPECTED_REJECTION: Record<Exclude<BadLoginKind, 'not_json'>, RejectionCode> = {
  missing_field: 'MISSING_FIELD',
  non_numeric_timestamp: 'INVALID_TIMESTAMP',
  malformed_ip: 'INVALID_IP',
  old_app_version: 'APP_VERSION_TOO_OLD',
  unsupported_device_type: 'UNSUPPORTED_DEVICE_TYPE',
};

describe('login generator', () => {
  it('when a login is valid, then the downstream validator accepts it', () => {
    const valid = records('valid');
    expect(valid.length).toBeGreaterThan(15_000);
    const rejected = valid.map((r) => validate(r)).filter((v) => !v.ok);
    expect(rejected).toEqual([]);
  });

  it('when a valid login has a numeric-string timestamp, then it still validates (a variation, not a bad event)', () => {
    const stringTimes = records('valid').filter((r) => typeof r['timestamp'] === 'string');
    expect(stringTimes.length).toBeGreaterThan(100);
    expect(stringTimes.every((r) => validate(r).ok)).toBe(true);
  });

  it.each(Object.entries(EXPECTED_REJECTION))('when a login is %s, then the validator rejects it with %s', (kind, code) => {
    const bad = records(kind as BadLoginKind);
    expect(bad.length).toBeGreaterThan(50);
    for (const record of bad) {
      const result = validate(record);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.rejections.map((r) => r.code)).toEqual([code]);
    }
  });

  it('when a login is not_json, then its bytes are not JSON', () => {
    const garbage = logins.filter((l) => l.kind === 'not_json');
    expect(garbage.length).toBeGreaterThan(50);
    for (const login of garbage) {
      expect('bytes' in login).toBe(true);
      if ('bytes' in login) {
        expect(() => JSON.parse(login.bytes.toString('utf8')) as unknown).toThrow(SyntaxError);
        expect(login.bytes.includes(0x0a)).toBe(false);
      }
    }
  });

  it('when fields go missing, then device_type is the one missing most often', () => {
    const missing = records('missing_field').map((r) => {
      const result = validate(r);
      return result.ok ? undefined : result.rejections[0]?.field;
    });
    const counts = new Map<string | undefined, number>();
    for (const field of missing) counts.set(field, (counts.get(field) ?? 0) + 1);
    const [mostOften] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    expect(mostOften?.[0]).toBe('device_type');
    expect(counts.size).toBeGreaterThan(3);
  });

  it.each([0, 0.05, 0.3])('when the bad share is %p, then that share of logins is bad (±1%%)', (badShare) => {
    const sample = generate(20_000, { badShare, seed: 7 });
    const bad = sample.filter((l) => l.kind !== 'valid').length / sample.length;
    expect(Math.abs(bad - badShare)).toBeLessThan(0.01);
  });

  it('when logins are bad, then every bad kind appears', () => {
    const kinds = new Set(logins.map((l) => l.kind));
    expect([...BAD_LOGIN_KINDS].filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('when users log in, then activity is skewed: the top 1% of users make a third or more of the logins, most users few', () => {
    const perUser = new Map<string, number>();
    for (const record of records('valid')) perUser.set(record['user_id'] as string, (perUser.get(record['user_id'] as string) ?? 0) + 1);
    const counts = [...perUser.values()].sort((a, b) => b - a);
    const total = counts.reduce((a, b) => a + b, 0);
    const top = counts.slice(0, 20).reduce((a, b) => a + b, 0); // 1% of 2,000 users
    expect(top / total).toBeGreaterThan(0.33);
    const mean = total / 2_000;
    const belowMean = 2_000 - counts.filter((c) => c >= mean).length;
    expect(belowMean / 2_000).toBeGreaterThan(0.7);
  });

  it('when the population is built, then each user has 1-3 devices, 1-4 IPs and several app versions are in use', () => {
    const { population } = createLoginGenerator({ seed: 1, users: 1_000, badShare: 0, lateShare: 0, maxLatenessMs: 1, clock: () => NOW });
    expect(population).toHaveLength(1_000);
    expect(population.every((u) => u.devices.length >= 1 && u.devices.length <= 3)).toBe(true);
    expect(population.every((u) => u.ips.length >= 1 && u.ips.length <= 4)).toBe(true);
    expect(new Set(population.map((u) => u.devices.length)).size).toBe(3);
    expect(new Set(population.flatMap((u) => u.devices.map((d) => d.appVersion))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(population.map((u) => u.locale)).size).toBeGreaterThan(10);
  });

  it('when some logins are late, then that share is older than on-time delivery and they arrive out of order', () => {
    const times = records('valid').map((r) => Number(r['timestamp']) * 1000);
    const late = times.filter((t) => NOW - t > 3_000);
    expect(late.length / times.length).toBeGreaterThan(0.03);
    expect(late.length / times.length).toBeLessThan(0.07);
    expect(times.every((t) => NOW - t <= 600_000 + 1_000 && t <= NOW)).toBe(true);
  });

  it('when the seed and clock are the same, then the logins are the same; another seed gives others', () => {
    const again = generate(20_000);
    expect(again).toEqual(logins);
    expect(generate(100, { seed: 43 })).not.toEqual(logins.slice(0, 100));
  });
});
