import { SCHEMA_FIELD_ORDER } from '@login-stream/schema';
import type { NormalizedLogin } from '@login-stream/schema';

/** The keys of a login validated from the usual record, in the order validation gives them. */
const USUAL_KEYS: readonly string[] = [...SCHEMA_FIELD_ORDER, 'event_time', 'event_time_ms'];

/** Printable ASCII but `"` and `\`: what JSON.stringify writes as it is, between quotes. */
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function hasUsualKeys(login: NormalizedLogin): boolean {
  const keys = Object.keys(login);
  if (keys.length !== USUAL_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== USUAL_KEYS[i]) return false;
  return true;
}

/**
 * Writes a processed login: the validated login's JSON with `processed_at` appended, exactly
 * as `JSON.stringify(login)` with one more key would read.
 *
 * JSON.stringify was the largest single cost per event. The usual login (all fields, no
 * others) is written from a template instead, when its strings are known to need no escaping:
 * they were parsed from ASCII text without backslashes (`plainInput`), so no string in it has a
 * quote, a backslash or a control character, and the rest come from the rules or are times.
 */
export function createProcessedJson(supportedDeviceTypes: readonly string[]): (login: NormalizedLogin, processedAt: string, plainInput: boolean) => string {
  const deviceTypesPlain = supportedDeviceTypes.every((d) => NEEDS_NO_ESCAPE.test(d));
  // The same for every record of a batch: built once per batch, not per record.
  let suffixFor = '';
  let suffix = '';

  return (login, processedAt, plainInput) => {
    if (processedAt !== suffixFor) {
      suffix = `,"processed_at":${JSON.stringify(processedAt)}}`;
      suffixFor = processedAt;
    }
    const { user_id, device_id, app_version, device_type, ip, locale, timestamp, event_time, event_time_ms } = login;
    if (
      plainInput &&
      deviceTypesPlain &&
      typeof device_id === 'string' &&
      typeof app_version === 'string' &&
      typeof device_type === 'string' &&
      typeof ip === 'string' &&
      typeof locale === 'string' &&
      (typeof timestamp === 'string' || Number.isFinite(timestamp)) &&
      Number.isFinite(event_time_ms) &&
      hasUsualKeys(login)
    ) {
      // For a finite number, String() and JSON.stringify() agree.
      const time = typeof timestamp === 'string' ? `"${timestamp}"` : String(timestamp);
      return (
        `{"user_id":"${user_id}","device_id":"${device_id}","app_version":"${app_version}","device_type":"${device_type}",` +
        `"ip":"${ip}","locale":"${locale}","timestamp":${time},"event_time":"${event_time}","event_time_ms":${event_time_ms}${suffix}`
      );
    }
    // Appending to the serialized login instead of spreading it into a new object halves the
    // cost; the JSON always ends in '}' because a valid login is a non-empty object. Validation
    // bounds its nesting (MAX_NESTING_DEPTH), so JSON.stringify's recursion cannot overflow.
    const json = JSON.stringify(login);
    return `${json.slice(0, -1)}${suffix}`;
  };
}
