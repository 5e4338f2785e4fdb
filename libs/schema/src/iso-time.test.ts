import { formatIsoUtc } from './iso-time';
import { seededRandom } from '@login-stream/kafka-testing';

const MAX_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MS_PER_DAY = 86_400_000;

/** The values whose formatting differs from toISOString, so one failure names them all. */
function mismatches(values: readonly number[]): number[] {
  return values.filter((ms) => formatIsoUtc(ms) !== new Date(ms).toISOString());
}

describe('formatIsoUtc', () => {
  it.each([
    ['the epoch', 0, '1970-01-01T00:00:00.000Z'],
    ['one ms after the epoch', 1, '1970-01-01T00:00:00.001Z'],
    ['the last ms of 1970-01-01', MS_PER_DAY - 1, '1970-01-01T23:59:59.999Z'],
    ['the leap day of a leap century', Date.UTC(2000, 1, 29, 12, 34, 56, 789), '2000-02-29T12:34:56.789Z'],
    ['the day after February of a non-leap century', Date.UTC(2100, 2, 1), '2100-03-01T00:00:00.000Z'],
    ['the last ms of February of a non-leap century', Date.UTC(2100, 2, 1) - 1, '2100-02-28T23:59:59.999Z'],
    ['a leap day', Date.UTC(2024, 1, 29, 23, 59, 59, 999), '2024-02-29T23:59:59.999Z'],
    ['the day after a leap day', Date.UTC(2024, 2, 1), '2024-03-01T00:00:00.000Z'],
    ['the last ms of 1999', Date.UTC(1999, 11, 31, 23, 59, 59, 999), '1999-12-31T23:59:59.999Z'],
    ['the first ms of 2000', Date.UTC(2000, 0, 1), '2000-01-01T00:00:00.000Z'],
    ['the last ms of year 9999', MAX_FOUR_DIGIT_YEAR_MS, '9999-12-31T23:59:59.999Z'],
    ['the reference sample', 1694479551000, '2023-09-12T00:45:51.000Z'],
    ['negative zero', -0, '1970-01-01T00:00:00.000Z'],
  ])('when the time is %s, then it is written as toISOString writes it', (_name, ms, expected) => {
    expect(formatIsoUtc(ms)).toBe(expected);
    expect(formatIsoUtc(ms)).toBe(new Date(ms).toISOString());
  });

  it('when a month of a leap or a common year ends or begins, then it is written as toISOString writes it', () => {
    const edges: number[] = [];
    for (const year of [1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 0; month < 12; month++) {
        const start = Date.UTC(year, month, 1);
        edges.push(start, Date.UTC(year, month + 1, 1) - 1);
      }
    }
    expect(mismatches(edges.filter((ms) => ms <= MAX_FOUR_DIGIT_YEAR_MS))).toEqual([]);
  });

  it('when any day from 1970 to 2200 begins or ends, then it is written as toISOString writes it', () => {
    const edges: number[] = [];
    for (let day = 0; day * MS_PER_DAY < Date.UTC(2200, 0, 1); day++) edges.push(day * MS_PER_DAY, (day + 1) * MS_PER_DAY - 1);
    expect(mismatches(edges)).toEqual([]);
  });

  it('when 200k seeded random times span years 1970 to 9999, then each is written as toISOString writes it', () => {
    const next = seededRandom(20240229);
    const days = Math.floor(MAX_FOUR_DIGIT_YEAR_MS / MS_PER_DAY) + 1;
    // Day and time of day drawn apart: one 32-bit draw scaled to the whole range would skip most ms.
    const values = Array.from({ length: 200_000 }, () => Math.floor(next() * days) * MS_PER_DAY + Math.floor(next() * MS_PER_DAY));
    expect(values.every((ms) => ms >= 0 && ms <= MAX_FOUR_DIGIT_YEAR_MS)).toBe(true);
    expect(mismatches(values)).toEqual([]);
  });

  it.each([
    ['before the epoch', -1, '1969-12-31T23:59:59.999Z'],
    ['after year 9999', MAX_FOUR_DIGIT_YEAR_MS + 1, '+010000-01-01T00:00:00.000Z'],
    ['fractional', 1.5, '1970-01-01T00:00:00.001Z'],
    ['the latest valid Date', 8.64e15, '+275760-09-13T00:00:00.000Z'],
  ])('when the time is %s, then toISOString writes it', (_name, ms, expected) => {
    expect(formatIsoUtc(ms)).toBe(expected);
    expect(formatIsoUtc(ms)).toBe(new Date(ms).toISOString());
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1])('when the time is %p, then it throws the RangeError toISOString throws', (ms) => {
    expect(() => new Date(ms).toISOString()).toThrow(RangeError);
    expect(() => formatIsoUtc(ms)).toThrow(RangeError);
    expect(() => formatIsoUtc(ms)).toThrow('Invalid time value');
  });
});
