import type { GeneratedLogin } from './bad-logins';
import { spoilLogin } from './bad-logins';
import { encodeGenerated } from '../message';
import type { OutboundMessage } from '../message';
import { createLoginEncoder } from './login-encoder';
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
  /** The next login already encoded, the same bytes as encodeGenerated(next()) would give, only cheaper. */
  nextMessage(): OutboundMessage;
}

/** The draws of one login, reused from login to login so the hot path allocates nothing for them. */
interface Draw {
  user: number;
  device: number;
  ip: number;
  seconds: number;
  stringTimestamp: boolean;
  bad: boolean;
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

  // Draws in a fixed order (user, device, time, IP, string timestamp, bad), so a seed gives the
  // same logins whichever of next/nextMessage reads them.
  const draw: Draw = { user: 0, device: 0, ip: 0, seconds: 0, stringTimestamp: false, bad: false };
  const drawNext = (): Draw => {
    const user = population[(draw.user = pickUser(random.next()))];
    draw.device = random.below(user.devices.length);
    draw.seconds = eventTimeSeconds();
    draw.ip = random.below(user.ips.length);
    draw.stringTimestamp = random.chance(STRING_TIMESTAMP_SHARE);
    draw.bad = random.chance(options.badShare);
    return draw;
  };
  const recordOf = ({ user: u, device: d, ip, seconds, stringTimestamp }: Draw): LoginRecord => {
    const user = population[u];
    const device = user.devices[d];
    return {
      user_id: user.id,
      app_version: device.appVersion,
      device_type: device.type,
      ip: user.ips[ip],
      locale: user.locale,
      device_id: device.id,
      timestamp: stringTimestamp ? String(seconds) : seconds,
    };
  };
  const encodeValid = createLoginEncoder(population);

  return {
    population,
    next(): GeneratedLogin {
      const { bad } = drawNext();
      const record = recordOf(draw);
      return bad ? spoilLogin(record, random) : { kind: 'valid', record };
    },
    nextMessage(): OutboundMessage {
      const { bad } = drawNext();
      return bad ? encodeGenerated(spoilLogin(recordOf(draw), random)) : encodeValid(draw);
    },
  };
}
