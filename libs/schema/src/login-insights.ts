import { z } from 'zod';

const count = z.number().int().nonnegative();
const iso = z.iso.datetime();

/** The locales most or least represented in a window: every tied locale, sorted. */
const localeExtreme = z.object({ locales: z.array(z.string()).min(1), logins: count });

/**
 * One closed window's insights, as written to `login-insights` keyed `<window_size>:<window_start>`.
 * A fixed contract: other teams' tools read it. Counts cover the window's logins that were not
 * late; `locales` and `ips` cover the logins that carry a locale or an ip, `device_types` those
 * that carry a device type.
 */
export const windowInsightsSchema = z.object({
  type: z.literal('window'),
  /** `<n>s`, `<n>m` or `<n>h`, as configured. */
  window_size: z.string().regex(/^\d+[smh]$/),
  window_start: iso,
  window_end: iso,
  window_start_ms: count,
  window_end_ms: count,
  logins: count,
  /** Exact distinct user_id. */
  unique_users: count,
  /** Logins by canonical device type. */
  device_types: z.record(z.string(), count),
  locales: z.object({
    distinct: count,
    most: localeExtreme.nullable(),
    least: localeExtreme.nullable(),
  }),
  ips: z.object({
    distinct: count,
    /** Users seen with two or more distinct IPs in the window. */
    users_with_multiple_ips: count,
    /** The highest distinct-IP count of one user, with the tied user ids, sorted, the first 10. */
    max_per_user: z.object({ ips: count, user_ids: z.array(z.string()).min(1).max(10) }).nullable(),
  }),
  emitted_at: iso,
});

export type WindowInsights = z.infer<typeof windowInsightsSchema>;

/**
 * A login-insights record's value as a window result, checked by the contract; undefined for
 * anything else (not JSON, another shape), which a reader skips rather than fails on.
 */
export function readWindowInsights(value: Buffer | string | null): WindowInsights | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value?.toString() ?? 'null');
  } catch {
    return undefined;
  }
  const parsed = windowInsightsSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The key of a window's record on `login-insights`. */
export function windowInsightsKey(windowSize: string, windowStart: string): string {
  return `${windowSize}:${windowStart}`;
}

/** The two parts of a windowInsightsKey. */
export function splitWindowInsightsKey(key: string): { readonly windowSize: string; readonly windowStart: string } {
  const colon = key.indexOf(':');
  return { windowSize: key.slice(0, colon), windowStart: key.slice(colon + 1) };
}
