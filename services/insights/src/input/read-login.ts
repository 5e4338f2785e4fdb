import { EVENT_TIME_HEADER } from '@login-stream/schema';
import type { Rejection } from '@login-stream/schema';
import type { IHeaders } from 'kafkajs';
import type { WindowLogin } from '../windows/window-aggregate';
import { createFlatFieldPicker } from './flat-json-fields';

/** A processed login as the windows need it, or why it cannot be windowed. */
export type LoginRead = { readonly login: WindowLogin; readonly eventTimeMs: number } | { readonly rejections: readonly Rejection[] };

/** A header of decimal digits (at most 16) as a number: undefined when absent, NaN when malformed. Read off the bytes: it is on every record. */
function decimalHeader(headers: IHeaders | undefined, name: string): number | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (value.length === 0 || value.length > 16) return Number.NaN;
  let n = 0;
  for (const byte of value) {
    if (byte < 0x30 || byte > 0x39) return Number.NaN;
    n = n * 10 + (byte - 0x30);
  }
  return n;
}

/**
 * What the windows read of a processed login, picked off the bytes without JSON.parse when they
 * can be; the value's event time only for the rare record without the header.
 */
const repeating = ['device_type', 'locale'] as const;
const pickLoginFields = createFlatFieldPicker(['user_id', 'device_type', 'locale', 'ip'], { repeating });
const pickLoginFieldsAndTime = createFlatFieldPicker(['user_id', 'device_type', 'locale', 'ip', 'event_time_ms'], { repeating });

/** A field a processed login may carry: a string, or absent (null counts as absent). */
function optionalText(record: Readonly<Record<string, unknown>>, field: string, rejections: Rejection[]): string | undefined {
  const value = record[field];
  if (typeof value === 'string') return value;
  if (value !== undefined && value !== null) rejections.push({ code: 'INVALID_FIELD_TYPE', field, message: `${field} must be a string in a processed login` });
  return undefined;
}

/**
 * Reads one `processed-logins` record: its user, device type, locale and ip from the JSON
 * value, its event time from the `login.event-time-ms` header (or the value's `event_time_ms`
 * when a record lacks the header). The processor wrote these; anything else is rejected.
 */
export function readLogin(value: Buffer | null, headers: IHeaders | undefined): LoginRead {
  const headerTimeMs = decimalHeader(headers, EVENT_TIME_HEADER);
  let record: Readonly<Record<string, unknown>> | undefined = value === null ? undefined : headerTimeMs === undefined ? pickLoginFieldsAndTime(value) : pickLoginFields(value);
  if (record === undefined) {
    let json: unknown;
    try {
      json = JSON.parse(value === null ? '' : value.toString());
    } catch {
      return { rejections: [{ code: 'NOT_JSON', message: 'a processed login must be a JSON object' }] };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { rejections: [{ code: 'NOT_AN_OBJECT', message: 'a processed login must be a JSON object' }] };
    record = json as Record<string, unknown>;
  }
  const userId = record.user_id;
  if (typeof userId !== 'string' || userId === '') return { rejections: [{ code: 'MISSING_FIELD', field: 'user_id', message: 'a processed login needs a user_id' }] };
  const eventTimeMs = headerTimeMs ?? record.event_time_ms;
  if (typeof eventTimeMs !== 'number' || !Number.isSafeInteger(eventTimeMs) || eventTimeMs <= 0) {
    return { rejections: [{ code: 'INVALID_TIMESTAMP', field: 'event_time_ms', message: `a processed login needs its event time as positive integer milliseconds in ${EVENT_TIME_HEADER}` }] };
  }
  const rejections: Rejection[] = [];
  const login = { userId, deviceType: optionalText(record, 'device_type', rejections), locale: optionalText(record, 'locale', rejections), ip: optionalText(record, 'ip', rejections) };
  return rejections.length > 0 ? { rejections } : { login, eventTimeMs };
}
