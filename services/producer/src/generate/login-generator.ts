import type { GeneratedLogin } from './bad-logins';
import { spoilLogin } from './bad-logins';
import type { LoginRecord } from './login-record';
import type { User } from './population';
import { buildPopulation } from './population';
import { createSeededRandom, zipfSampler } from './seeded-random';

export interface LoginGeneratorOptions {
  /** Same seed (and clock) → same logins. */
  readonly seed: number;
  readonly users: number;
  /** Share of logins that are broken, 0..1. */
  readonly badShare: number;
  /** Share of logins that arrive late, i.e. with an event time well before "now", 0..1. */
  readonly lateShare: number;
  /** How far back a late login's event time may be. */
  readonly maxLatenessMs: number;
  /** "Now" in epoch ms for the next login; called once per login. */
  readonly clock: () => number;
}

export interface LoginGenerator {
  readonly population: readonly User[];
  next(): GeneratedLogin;
}

/** Classic Zipf: the most active user logs in about twice as often as the second. */
const ACTIVITY_SKEW = 1;
/** On-time logins still reach us a little after they happen. */
const MAX_DELIVERY_DELAY_MS = 2_000;
/** Share of valid logins whose timestamp is a numeric string, as in the reference data. */
const STRING_TIMESTAMP_SHARE = 0.1;

export function createLoginGenerator(options: LoginGeneratorOptions): LoginGenerator {
  const random = createSeededRandom(options.seed);
  const population = buildPopulation(options.users, random);
  const pickUser = zipfSampler(population.length, ACTIVITY_SKEW);
  const minLatenessMs = options.maxLatenessMs / 10;

  const eventTimeSeconds = (): number => {
    const now = options.clock();
    const delay = random.chance(options.lateShare)
      ? minLatenessMs + random.next() * (options.maxLatenessMs - minLatenessMs)
      : random.next() * MAX_DELIVERY_DELAY_MS;
    return Math.floor((now - delay) / 1000);
  };

  return {
    population,
    next(): GeneratedLogin {
      const user = population[pickUser(random.next())];
      const device = random.pick(user.devices);
      const seconds = eventTimeSeconds();
      const record: LoginRecord = {
        user_id: user.id,
        app_version: device.appVersion,
        device_type: device.type,
        ip: random.pick(user.ips),
        locale: user.locale,
        device_id: device.id,
        timestamp: random.chance(STRING_TIMESTAMP_SHARE) ? String(seconds) : seconds,
      };
      return random.chance(options.badShare) ? spoilLogin(record, random) : { kind: 'valid', record };
    },
  };
}
