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
 * A window's aggregate over part of its logins: one input partition's, or several merged.
 * Exact: every user and IP is kept, for exact distinct counts.
 */
export interface WindowPartial {
  logins: number;
  readonly users: Set<string>;
  readonly deviceTypes: Map<string, number>;
  readonly locales: Map<string, number>;
  readonly ips: Set<string>;
  /** Distinct IPs per user, for the users whose logins carried one. */
  readonly ipsByUser: Map<string, Set<string>>;
}

/** The most user ids a result lists for the highest IP count. */
export const MAX_LISTED_USERS = 10;

export function emptyPartial(): WindowPartial {
  return { logins: 0, users: new Set(), deviceTypes: new Map(), locales: new Map(), ips: new Set(), ipsByUser: new Map() };
}

function add(counts: Map<string, number>, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

export function addLogin(partial: WindowPartial, login: WindowLogin): void {
  partial.logins++;
  partial.users.add(login.userId);
  if (login.deviceType !== undefined) add(partial.deviceTypes, login.deviceType);
  if (login.locale !== undefined) add(partial.locales, login.locale);
  if (login.ip !== undefined) {
    partial.ips.add(login.ip);
    const mine = partial.ipsByUser.get(login.userId);
    if (mine === undefined) partial.ipsByUser.set(login.userId, new Set([login.ip]));
    else mine.add(login.ip);
  }
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
  for (const [user, ips] of partial.ipsByUser) {
    if (ips.size >= 2) multiple++;
    if (ips.size > maxIps) {
      maxIps = ips.size;
      maxUsers = [user];
    } else if (ips.size === maxIps) maxUsers.push(user);
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
      distinct: partial.ips.size,
      users_with_multiple_ips: multiple,
      max_per_user: maxUsers.length === 0 ? null : { ips: maxIps, user_ids: maxUsers.sort(byText).slice(0, MAX_LISTED_USERS) },
    },
    emitted_at: formatIsoUtc(emittedAtMs),
  };
}
