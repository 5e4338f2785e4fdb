import type { OutboundMessage } from '../message';
import type { User } from './population';

/** One valid login, as the indices the generator drew. */
export interface LoginDraw {
  readonly user: number;
  readonly device: number;
  readonly ip: number;
  /** Epoch seconds. */
  readonly seconds: number;
  readonly stringTimestamp: boolean;
}

/** A user's logins as fixed byte pieces around the drawn IP and timestamp, built on first use. */
interface UserBytes {
  readonly key: Buffer;
  /** Per device: `{"user_id":…,"app_version":…,"device_type":…,"ip":` */
  readonly heads: readonly Buffer[];
  readonly ips: readonly Buffer[];
  /** Per device: `,"locale":…,"device_id":…,"timestamp":` */
  readonly tails: readonly Buffer[];
}

/** Values are carved out of shared slabs: one allocation per ~1 MB instead of one per login. */
const SLAB_BYTES = 1 << 20;
const QUOTE = 0x22;
const CLOSE = 0x7d;
const ZERO = 0x30;

const json = (value: string): string => JSON.stringify(value);

function userBytes(user: User): UserBytes {
  return {
    key: Buffer.from(user.id),
    heads: user.devices.map((d) => Buffer.from(`{"user_id":${json(user.id)},"app_version":${json(d.appVersion)},"device_type":${json(d.type)},"ip":`)),
    ips: user.ips.map((ip) => Buffer.from(json(ip))),
    tails: user.devices.map((d) => Buffer.from(`,"locale":${json(user.locale)},"device_id":${json(d.id)},"timestamp":`)),
  };
}

/**
 * Encodes valid logins to exactly the bytes JSON.stringify gives for the record (fields in
 * LoginRecord's order), without building the record: this is the hot path of `--rate max`.
 */
export function createLoginEncoder(population: readonly User[]): (draw: LoginDraw) => OutboundMessage {
  const users: (UserBytes | undefined)[] = new Array<UserBytes | undefined>(population.length);
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let used = 0;

  const put = (bytes: Buffer): void => {
    slab.set(bytes, used);
    used += bytes.length;
  };

  const putNumber = (n: number, quoted: boolean): void => {
    if (!Number.isSafeInteger(n) || n < 0) {
      // Rare (the clock is not near epoch ms), so leave the formatting to String/JSON.stringify.
      used += slab.write(quoted ? String(n) : JSON.stringify(n), used, 'latin1');
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let i = used + digits - 1, rest = n; i >= used; i--, rest = Math.floor(rest / 10)) slab[i] = ZERO + (rest % 10);
    used += digits;
  };

  return (draw) => {
    const bytes = (users[draw.user] ??= userBytes(population[draw.user]));
    const head = bytes.heads[draw.device];
    const ip = bytes.ips[draw.ip];
    const tail = bytes.tails[draw.device];
    // Timestamp: at most 17 characters for a safe integer, plus two quotes and the brace.
    if (used + head.length + ip.length + tail.length + 32 > slab.length) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      used = 0;
    }
    const start = used;
    put(head);
    put(ip);
    put(tail);
    if (draw.stringTimestamp) slab[used++] = QUOTE;
    putNumber(draw.seconds, draw.stringTimestamp);
    if (draw.stringTimestamp) slab[used++] = QUOTE;
    slab[used++] = CLOSE;
    return { key: bytes.key, value: slab.subarray(start, used), malformed: false };
  };
}
