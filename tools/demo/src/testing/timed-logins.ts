import { seededRandom } from '@login-stream/kafka-testing';

export interface TimedLoginOptions {
  readonly seed: number;
  readonly count: number;
  readonly users: number;
  /** Event times run from here over `spanMs`, in order but for the jitter and the late ones. */
  readonly startMs: number;
  readonly spanMs: number;
  /** Each login is up to this much older than its place in the run (keep it under the grace). */
  readonly jitterMs: number;
  /** Share of logins that are `lateMs` behind instead, 0..1. */
  readonly lateShare?: number;
  readonly lateMs?: readonly [number, number];
}

/**
 * Raw, valid logins for `user-login` with known event times (ISO-8601 with milliseconds), from
 * small pools of devices, locales and IPs so windows have ties.
 */
export function timedLogins(options: TimedLoginOptions): Buffer[] {
  const random = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const [lateMin, lateMax] = options.lateMs ?? [0, 0];
  return Array.from({ length: options.count }, (_, i) => {
    const onTime = options.startMs + Math.floor((i * options.spanMs) / options.count);
    const late = random() < (options.lateShare ?? 0);
    const t = late ? onTime - lateMin - Math.floor(random() * (lateMax - lateMin)) : onTime - Math.floor(random() * options.jitterMs);
    const user = Math.floor(random() * options.users);
    return Buffer.from(
      JSON.stringify({
        user_id: `user-${user}`,
        app_version: pick(['2.4.0', '3.1.2']),
        device_type: pick(['android', 'iOS']),
        ip: `10.${user % 7}.${Math.floor(random() * 3)}.${user % 11}`,
        locale: pick(['CA', 'VT', 'WY', 'NY', 'RU']),
        device_id: `device-${user}`,
        timestamp: new Date(t).toISOString(),
      }),
    );
  });
}
