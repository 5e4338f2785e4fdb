import { EVENT_TIME_HEADER } from '@login-stream/schema';
import type { Rejection } from '@login-stream/schema';
import type { IHeaders } from 'kafkajs';
import type { WindowLogin } from '../windows/window-aggregate';

/** A processed login as the windows need it, or why it cannot be windowed. */
export type LoginRead = { readonly login: WindowLogin; readonly eventTimeMs: number } | { readonly rejections: readonly Rejection[] };

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

function optionalText(record: Record<string, unknown>, field: string): string | undefined | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return { code: 'INVALID_FIELD_TYPE', field, message: `${field} must be a string in a processed login` };
  return value;
}

const isRejection = (value: unknown): value is Rejection => typeof value === 'object' && value !== null;

/**
 * Reads one `processed-logins` record: its user, device type, locale and ip from the JSON
 * value, its event time from the `login.event-time-ms` header (or the value's `event_time_ms`
 * when a record lacks the header). The processor wrote these; anything else is rejected.
 */
export function readLogin(value: Buffer | null, headers: IHeaders | undefined): LoginRead {
  let json: unknown;
  try {
    json = JSON.parse(value === null ? '' : value.toString());
  } catch {
    return { rejections: [{ code: 'NOT_JSON', message: 'a processed login must be a JSON object' }] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { rejections: [{ code: 'NOT_AN_OBJECT', message: 'a processed login must be a JSON object' }] };
  const record = json as Record<string, unknown>;
  const userId = record.user_id;
  if (typeof userId !== 'string' || userId === '') return { rejections: [{ code: 'MISSING_FIELD', field: 'user_id', message: 'a processed login needs a user_id' }] };
  const fromHeader = header(headers, EVENT_TIME_HEADER);
  const eventTimeMs = fromHeader === undefined ? record.event_time_ms : /^\d{1,16}$/.test(fromHeader) ? Number(fromHeader) : Number.NaN;
  if (typeof eventTimeMs !== 'number' || !Number.isSafeInteger(eventTimeMs) || eventTimeMs <= 0) {
    return { rejections: [{ code: 'INVALID_TIMESTAMP', field: 'event_time_ms', message: `a processed login needs its event time as positive integer milliseconds in ${EVENT_TIME_HEADER}` }] };
  }
  const deviceType = optionalText(record, 'device_type');
  const locale = optionalText(record, 'locale');
  const ip = optionalText(record, 'ip');
  const rejections = [deviceType, locale, ip].filter(isRejection);
  if (rejections.length > 0) return { rejections };
  return {
    login: {
      userId,
      ...(deviceType !== undefined && { deviceType: deviceType as string }),
      ...(locale !== undefined && { locale: locale as string }),
      ...(ip !== undefined && { ip: ip as string }),
    },
    eventTimeMs,
  };
}
