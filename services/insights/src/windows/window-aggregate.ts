import { formatIsoUtc } from '@login-stream/schema';
import type { WindowInsights } from '@login-stream/schema';
import type { WindowSize } from './window-size';

/** What a window needs of one login. */
export interface WindowLogin {
  readonly userId: string;
  readonly deviceType?: string;
  readonly locale?: string;
  readonly ip?: string;
}

/** The distinct IPs of one user in a window: none, one (most users), or several. */
export type UserIps = null | string | Set<string>;

/**
 * A window's aggregate over part of its logins: one input partition's, or several merged.
 * Exact: every user and IP is kept, for exact distinct counts. One map entry per user holds its
 * IPs too, and a user with one IP keeps it as a plain string: that is most users, and a Set each
 * would double the memory of a window.
 */
export interface WindowPartial {
  logins: number;
  readonly users: Map<string, UserIps>;
  readonly deviceTypes: Map<string, number>;
  readonly locales: Map<string, number>;
}

/** The most user ids a result lists for the highest IP count. */
export const MAX_LISTED_USERS = 10;

export function emptyPartial(): WindowPartial {
  return { logins: 0, users: new Map(), deviceTypes: new Map(), locales: new Map() };
}

export function addCount(counts: Map<string, number>, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** Adds a user (and an IP of theirs, if any) to the window's users. */
export function addUserIp(users: Map<string, UserIps>, userId: string, ip: string | undefined): void {
  const ips = users.get(userId);
  if (ip === undefined) {
    if (ips === undefined) users.set(userId, null);
  } else if (ips === undefined || ips === null) users.set(userId, ip);
  else if (typeof ips === 'string') {
    if (ips !== ip) users.set(userId, new Set([ips, ip]));
  } else ips.add(ip);
}

export function addLogin(partial: WindowPartial, login: WindowLogin): void {
  partial.logins++;
  addUserIp(partial.users, login.userId, login.ip);
  if (login.deviceType !== undefined) addCount(partial.deviceTypes, login.deviceType);
  if (login.locale !== undefined) addCount(partial.locales, login.locale);
}

/** A user's IPs as a list. */
export function ipsOf(ips: UserIps): string[] {
  return ips === null ? [] : typeof ips === 'string' ? [ips] : [...ips];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every locale tied at the extreme count, sorted; null when the window has none. */
function extreme(locales: ReadonlyMap<string, number>, better: (a: number, b: number) => boolean): { locales: string[]; logins: number } | null {
  let best: number | undefined;
  let tied: string[] = [];
  for (const [locale, n] of locales) {
    if (best === undefined || better(n, best)) {
      best = n;
      tied = [locale];
    } else if (n === best) tied.push(locale);
  }
  return best === undefined ? null : { locales: tied.sort(byText), logins: best };
}

/** The insights record of a window from the merge of all its partials. */
export function windowInsights(size: WindowSize, startMs: number, partial: WindowPartial, emittedAtMs: number): WindowInsights {
  let multiple = 0;
  let maxIps = 0;
  let maxUsers: string[] = [];
  const distinctIps = new Set<string>();
  for (const [user, ips] of partial.users) {
    if (ips === null) continue;
    let count = 1;
    if (typeof ips === 'string') distinctIps.add(ips);
    else {
      for (const ip of ips) distinctIps.add(ip);
      count = ips.size;
      multiple++;
    }
    if (count > maxIps) {
      maxIps = count;
      maxUsers = [user];
    } else if (count === maxIps) maxUsers.push(user);
  }
  const endMs = startMs + size.ms;
  return {
    type: 'window',
    window_size: size.label,
    window_start: formatIsoUtc(startMs),
    window_end: formatIsoUtc(endMs),
    window_start_ms: startMs,
    window_end_ms: endMs,
    logins: partial.logins,
    unique_users: partial.users.size,
    device_types: Object.fromEntries([...partial.deviceTypes].sort(([a], [b]) => byText(a, b))),
    locales: {
      distinct: partial.locales.size,
      most: extreme(partial.locales, (a, b) => a > b),
      least: extreme(partial.locales, (a, b) => a < b),
    },
    ips: {
      distinct: distinctIps.size,
      users_with_multiple_ips: multiple,
      max_per_user: maxUsers.length === 0 ? null : { ips: maxIps, user_ids: maxUsers.sort(byText).slice(0, MAX_LISTED_USERS) },
    },
    emitted_at: formatIsoUtc(emittedAtMs),
  };
}
