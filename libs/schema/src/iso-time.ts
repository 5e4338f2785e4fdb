/** 9999-12-31T23:59:59.999Z: beyond it toISOString writes six-digit years (+010000-…). */
export const MAX_FOUR_DIGIT_YEAR_MS = 253402300799999;
const MS_PER_DAY = 86_400_000;
/** Days from 0000-03-01 to 1970-01-01, so that a day number counts from a March 1st. */
const DAYS_BEFORE_EPOCH = 719_468;
const DAYS_PER_ERA = 146_097;
/** Index stride of MONTH_DAY: month * 32 + day leaves room for every day of a month. */
const DAYS_STRIDE = 32;

function padded(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function table(size: number, piece: (i: number) => string): readonly string[] {
  return Array.from({ length: size }, (_, i) => piece(i));
}

// The string is joined from six precomputed pieces, separators included: every `+` allocates,
// so fewer, longer pieces measured faster, and faster than String.fromCharCode of 24 codes.
const TWO_DIGITS = table(100, (i) => padded(i, 2));
const MONTH_DAY = table(13 * DAYS_STRIDE, (i) => `-${TWO_DIGITS[Math.floor(i / DAYS_STRIDE)]}-${TWO_DIGITS[i % DAYS_STRIDE]}T`);
const HOUR_MINUTE = table(24 * 60, (i) => `${TWO_DIGITS[Math.floor(i / 60)]}:${TWO_DIGITS[i % 60]}:`);
const SECOND = table(60, (i) => `${TWO_DIGITS[i]}.`);
const MILLISECOND = table(1000, (i) => `${padded(i, 3)}Z`);

/**
 * Exactly `new Date(ms).toISOString()`, about eight times faster for epoch milliseconds in years
 * 1970..9999: the calendar date comes from integer arithmetic (Howard Hinnant's civil_from_days)
 * instead of a Date. Any other value (negative, later, fractional, NaN) is left to toISOString,
 * which also throws its RangeError for an invalid time as before.
 */
export function formatIsoUtc(ms: number): string {
  if (!(ms >= 0 && ms <= MAX_FOUR_DIGIT_YEAR_MS && Number.isInteger(ms))) return new Date(ms).toISOString();
  // days and msOfDay are below 2^31, so `| 0` divides them exactly as integers.
  const days = Math.floor(ms / MS_PER_DAY);
  const msOfDay = ms - days * MS_PER_DAY;

  // civil_from_days on a calendar whose years start on March 1st, so the leap day ends a year.
  const shifted = days + DAYS_BEFORE_EPOCH;
  const era = (shifted / DAYS_PER_ERA) | 0;
  const dayOfEra = shifted - era * DAYS_PER_ERA; // 0..146096
  const yearOfEra = ((dayOfEra - ((dayOfEra / 1460) | 0) + ((dayOfEra / 36524) | 0) - ((dayOfEra / 146096) | 0)) / 365) | 0; // 0..399
  const dayOfYear = dayOfEra - (365 * yearOfEra + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0)); // 0..365, from March 1st
  const marchMonth = ((5 * dayOfYear + 2) / 153) | 0; // 0..11, 0 is March
  const day = dayOfYear - (((153 * marchMonth + 2) / 5) | 0) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);

  const millisecond = msOfDay % 1000;
  const secondOfDay = (msOfDay - millisecond) / 1000;
  const second = secondOfDay % 60;
  const minuteOfDay = (secondOfDay - second) / 60;

  return (
    TWO_DIGITS[(year / 100) | 0] +
    TWO_DIGITS[year % 100] +
    MONTH_DAY[month * DAYS_STRIDE + day] +
    HOUR_MINUTE[minuteOfDay] +
    SECOND[second] +
    MILLISECOND[millisecond]
  );
}
