import { seededRandom } from '@login-stream/kafka-testing';

/** A raw record for `user-login`, as a test or the bench produces it. */
export interface RawLoginRecord {
  readonly key: string | null;
  readonly value: Buffer;
}

export interface LoginMixOptions {
  readonly count: number;
  readonly users: number;
  /** Share of records that break a rule, 0..1. */
  readonly badShare: number;
  readonly seed: number;
  /** Event times are spread over [start, start + span). */
  readonly startMs?: number;
  readonly spanMs?: number;
}

const BAD_KINDS = [
  () => Buffer.from('{"message_id": "1", "timestamp": 1609459200'),
  () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  (l: Record<string, unknown>) => json({ ...l, ip: '999.999.999.999' }),
  (l: Record<string, unknown>) => json({ ...l, timestamp: -1 }),
  (l: Record<string, unknown>) => json({ ...l, app_version: '2.2.9' }),
  (l: Record<string, unknown>) => json({ ...l, device_type: 'blackberry' }),
  ({ device_type: _gone, ...l }: Record<string, unknown>) => json(l),
] as const;

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/**
 * Logins like the reference generator's, in every accepted timestamp form and spelling, with a
 * share of bad records of every kind. Keys are null, as the generator sends them.
 */
export function mixedLogins(options: LoginMixOptions): RawLoginRecord[] {
  const next = seededRandom(options.seed);
  const start = options.startMs ?? Date.parse('2023-09-12T00:00:00Z');
  const span = options.spanMs ?? 24 * 3600 * 1000;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return Array.from({ length: options.count }, (_, i) => {
    const ms = start + Math.floor(next() * span / 1000) * 1000;
    const login: Record<string, unknown> = {
      user_id: `user-${Math.floor(next() * options.users)}`,
      app_version: pick(['2.3.0', '2.4.1', '2.10.0', '3.0.0']),
      device_type: pick(['android', 'iOS', 'ANDROID', 'ios']),
      ip: pick(['199.172.111.135', '10.1.2.3', '2001:db8::1']),
      locale: pick(['RU', 'en', 'pt-br']),
      device_id: `device-${i % 97}`,
      timestamp: pick([String(ms / 1000), ms / 1000, ms, new Date(ms).toISOString()]),
    };
    const value = next() < options.badShare ? pick(BAD_KINDS)(login) : json(login);
    return { key: null, value };
  });
}
