import { MAX_FOUR_DIGIT_YEAR_MS } from './iso-time';
import type { Rejection } from './rejection-codes';

// Epoch values below this are seconds, at or above it milliseconds: 1e11 s is the year 5138,
// while 1e11 ms is 1973, so no plausible login time is ambiguous.
const SECONDS_LIMIT = 1e11;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;
const NUMERIC = /^\s*\d+(\.\d+)?\s*$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export type EventTimeResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly rejection: Rejection };

function invalid(message: string): EventTimeResult {
  return { ok: false, rejection: { code: 'INVALID_TIMESTAMP', field: 'timestamp', message } };
}

function outOfRange(value: unknown, why: string): EventTimeResult {
  return { ok: false, rejection: { code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp', message: `timestamp ${String(value).slice(0, 64)} is ${why}` } };
}

function fromEpoch(value: number): number {
  return value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Date.parse rolls impossible fields over (2024-02-30 becomes 2024-03-01) and reads 24:00 as
 * the next midnight; an ISO time is taken only when every field names a real instant.
 */
function isoFieldsExist(match: RegExpExecArray): boolean {
  const [, year, month, day, hour, minute, second, , zone, zoneHours, zoneMinutes] = match;
  const m = Number(month);
  return (
    m >= 1 &&
    m <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth(Number(year), m) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    (second === undefined || Number(second) <= 59) &&
    (zone === 'Z' || (Number(zoneHours) <= 23 && Number(zoneMinutes) <= 59))
  );
}

/**
 * Reads an event time given as epoch seconds or milliseconds (number or numeric string) or
 * as ISO-8601 with a zone, to whole epoch milliseconds. A time that is not after the epoch once
 * rounded to milliseconds, a date that does not exist, and a time too far in the future (past
 * `maxFutureSkewMs` from now, or past the year 9999) are rejected.
 */
export function parseEventTime(value: unknown, nowMs: number, maxFutureSkewMs: number): EventTimeResult {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid(`timestamp ${String(value)} is not a finite number`);
    ms = fromEpoch(value);
    if (ms <= 0) return invalid(`timestamp ${value} is not after the epoch`);
  } else if (typeof value === 'string') {
    if (NUMERIC.test(value)) {
      ms = fromEpoch(Number(value));
      if (ms <= 0) return invalid(`timestamp "${value}" is not after the epoch`);
    } else {
      const iso = ISO_8601.exec(value);
      if (iso === null) return invalid(`timestamp "${value.slice(0, 64)}" is neither epoch seconds, epoch milliseconds nor ISO-8601`);
      ms = Date.parse(value);
      if (Number.isNaN(ms) || !isoFieldsExist(iso)) return invalid(`timestamp "${value}" is not a real date`);
      if (ms <= 0) return invalid(`timestamp "${value}" is not after the epoch`);
    }
  } else {
    return invalid(`timestamp must be a number or a string, got ${value === null ? 'null' : typeof value}`);
  }
  // Later times print with a six-digit year (+010000-…) that no ISO-8601 reader of ours accepts:
  // a processed login or summary carrying one could not be read back.
  if (ms > MAX_FOUR_DIGIT_YEAR_MS) return outOfRange(value, 'after the year 9999');
  if (ms > nowMs + maxFutureSkewMs) return outOfRange(value, 'too far in the future');
  return { ok: true, ms };
}
