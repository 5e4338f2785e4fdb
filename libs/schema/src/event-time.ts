import type { Rejection } from './rejection-codes';

// Epoch values below this are seconds, at or above it milliseconds: 1e11 s is the year 5138,
// while 1e11 ms is 1973, so no plausible login time is ambiguous.
const SECONDS_LIMIT = 1e11;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const NUMERIC = /^\s*\d+(\.\d+)?\s*$/;

export type EventTimeResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly rejection: Rejection };

function invalid(message: string): EventTimeResult {
  return { ok: false, rejection: { code: 'INVALID_TIMESTAMP', field: 'timestamp', message } };
}

function fromEpoch(value: number): number {
  return value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
}

/**
 * Reads an event time given as epoch seconds or milliseconds (number or numeric string) or
 * as ISO-8601 with a zone. Zero, negative, non-numeric and far-future times are rejected.
 */
export function parseEventTime(value: unknown, nowMs: number, maxFutureSkewMs: number): EventTimeResult {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid(`timestamp ${String(value)} is not a finite number`);
    if (value <= 0) return invalid(`timestamp ${value} is not after the epoch`);
    ms = fromEpoch(value);
  } else if (typeof value === 'string') {
    if (NUMERIC.test(value)) {
      const n = Number(value);
      if (n <= 0) return invalid(`timestamp "${value}" is not after the epoch`);
      ms = fromEpoch(n);
    } else if (ISO_8601.test(value)) {
      ms = Date.parse(value);
      if (Number.isNaN(ms)) return invalid(`timestamp "${value}" is not a real date`);
      if (ms <= 0) return invalid(`timestamp "${value}" is not after the epoch`);
    } else {
      return invalid(`timestamp "${value.slice(0, 64)}" is neither epoch seconds, epoch milliseconds nor ISO-8601`);
    }
  } else {
    return invalid(`timestamp must be a number or a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (ms > nowMs + maxFutureSkewMs) {
    return {
      ok: false,
      rejection: {
        code: 'TIMESTAMP_OUT_OF_RANGE',
        field: 'timestamp',
        message: `timestamp ${String(value).slice(0, 64)} is too far in the future`,
      },
    };
  }
  return { ok: true, ms };
}
