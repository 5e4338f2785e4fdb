/**
 * The headers of a record on `login-insights-late`: a processed login that came too late for
 * one or more of its windows. The value is the processed login's bytes unchanged, the key its
 * user_id, and its `login.source` header is carried over.
 */
export const LATE_WINDOWS_HEADER = 'late.windows';

/** Its partition's stream time minus its event time, in milliseconds (decimal ASCII). */
export const LATE_BEHIND_HEADER = 'late.behind-ms';

/** The `late.windows` value: the missed windows' `<window_size>:<window_start>` keys, comma-separated. */
export function formatLateWindows(keys: readonly string[]): string {
  return keys.join(',');
}

export function parseLateWindows(value: string): string[] {
  return value === '' ? [] : value.split(',');
}
