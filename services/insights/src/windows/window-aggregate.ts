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

/**
 * The distinct IPs of one user in a window: none, one (most users), a few in a list, or a Set
 * once there are more than MAX_LISTED_IPS. A short list takes far less memory than a Set (a
 * window whose users have 1 or 2 IPs went from 265 to 187 bytes per user); the Set keeps a user
 * with thousands of IPs cheap to add to.
 */
export type UserIps = null | string | readonly string[] | Set<string>;

/** The most distinct IPs a user's list holds before it becomes a Set. */
const MAX_LISTED_IPS = 8;

/**
 * A window's aggregate over part of its logins: one input partition's, or several merged.
 * Exact: every user and IP is kept, for exact distinct counts. One map entry per user holds its
 * IPs too (see UserIps): a plain string for a user with one IP, most users.
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
    if (ips !== ip) users.set(userId, [ips, ip]);
  } else if (ips instanceof Set) ips.add(ip);
  // A list grows by a copy: each user gains a new IP a few times at most, and the copy is exactly as long as it needs.
  else if (!ips.includes(ip)) users.set(userId, ips.length < MAX_LISTED_IPS ? [...ips, ip] : new Set([...ips, ip]));
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

/**
 * What a window's result needs of logins whose users no later login can join: counts, the
 * users' number and IP extremes, and the distinct IPs, but no user set. A partition summarizes a
 * window its stream time closed, since every later login there is late for it; users never
 * span partitions (processed-logins is keyed by user_id), so summaries add exactly. IPs do span
 * partitions, so they travel as a set.
 */
export interface WindowSummary {
  logins: number;
  readonly deviceTypes: Map<string, number>;
  readonly locales: Map<string, number>;
  users: number;
  usersWithMultipleIps: number;
  /** The most distinct IPs of one user, and the first MAX_LISTED_USERS of those users, sorted. */
  maxIps: number;
  maxIpUsers: string[];
  readonly ips: Set<string>;
}

export function emptySummary(): WindowSummary {
  return { logins: 0, deviceTypes: new Map(), locales: new Map(), users: 0, usersWithMultipleIps: 0, maxIps: 0, maxIpUsers: [], ips: new Set() };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Puts `user` in its sorted place in `first` if it is among the first MAX_LISTED_USERS; a window may tie all its users. */
function keepFirst(first: string[], user: string): void {
  if (first.length === MAX_LISTED_USERS && user >= first[MAX_LISTED_USERS - 1]) return;
  let at = first.length;
  while (at > 0 && first[at - 1] > user) at--;
  first.splice(at, 0, user);
  if (first.length > MAX_LISTED_USERS) first.pop();
}

/** The summary of a partial; its count maps are shared, not copied, and its IPs go into `ips` (a new Set unless given). */
export function summarize(partial: WindowPartial, ips = new Set<string>()): WindowSummary {
  let multiple = 0;
  let maxIps = 0;
  let maxUsers: string[] = [];
  for (const [user, userIps] of partial.users) {
    if (userIps === null) continue;
    let count = 1;
    if (typeof userIps === 'string') ips.add(userIps);
    else {
      for (const ip of userIps) ips.add(ip);
      count = userIps instanceof Set ? userIps.size : userIps.length;
      multiple++;
    }
    if (count > maxIps) {
      maxIps = count;
      maxUsers = [user];
    } else if (count === maxIps) keepFirst(maxUsers, user);
  }
  return {
    logins: partial.logins,
    deviceTypes: partial.deviceTypes,
    locales: partial.locales,
    users: partial.users.size,
    usersWithMultipleIps: multiple,
    maxIps,
    maxIpUsers: maxUsers,
    ips,
  };
}

/** A summary to add, as a WindowSummary or as read off a record. */
export interface SummaryParts {
  readonly logins: number;
  readonly deviceTypes: Iterable<readonly [string, number]>;
  readonly locales: Iterable<readonly [string, number]>;
  readonly users: number;
  readonly usersWithMultipleIps: number;
  readonly maxIps: number;
  readonly maxIpUsers: Iterable<string>;
  readonly ips: Iterable<string>;
}

/** Adds the summary of other users' logins: counts add, IP sets unite, IP extremes keep the higher (both lists when tied). */
export function addSummary(into: WindowSummary, from: SummaryParts): void {
  into.logins += from.logins;
  for (const [type, n] of from.deviceTypes) addCount(into.deviceTypes, type, n);
  for (const [locale, n] of from.locales) addCount(into.locales, locale, n);
  into.users += from.users;
  into.usersWithMultipleIps += from.usersWithMultipleIps;
  if (from.maxIps > into.maxIps) {
    into.maxIps = from.maxIps;
    into.maxIpUsers = [];
  }
  if (from.maxIps === into.maxIps && from.maxIps > 0) for (const user of from.maxIpUsers) keepFirst(into.maxIpUsers, user);
  for (const ip of from.ips) into.ips.add(ip);
}

/**
 * Adds a partial of other users' logins, as addSummary(into, summarize(partial)) would, with its
 * IPs put straight into the summary's: no second Set of them (a window of the merge may hold
 * hundreds of thousands of IPs).
 */
export function addPartialOf(into: WindowSummary, partial: WindowPartial): void {
  addSummary(into, { ...summarize(partial, into.ips), ips: [] });
}

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

/** The insights record of a window from the summary of all its logins. */
export function windowInsights(size: WindowSize, startMs: number, summary: WindowSummary, emittedAtMs: number): WindowInsights {
  const endMs = startMs + size.ms;
  return {
    type: 'window',
    window_size: size.label,
    window_start: formatIsoUtc(startMs),
    window_end: formatIsoUtc(endMs),
    window_start_ms: startMs,
    window_end_ms: endMs,
    logins: summary.logins,
    unique_users: summary.users,
    device_types: Object.fromEntries([...summary.deviceTypes].sort(([a], [b]) => byText(a, b))),
    locales: {
      distinct: summary.locales.size,
      most: extreme(summary.locales, (a, b) => a > b),
      least: extreme(summary.locales, (a, b) => a < b),
    },
    ips: {
      distinct: summary.ips.size,
      users_with_multiple_ips: summary.usersWithMultipleIps,
      max_per_user: summary.maxIps === 0 ? null : { ips: summary.maxIps, user_ids: summary.maxIpUsers },
    },
    emitted_at: formatIsoUtc(emittedAtMs),
  };
}
