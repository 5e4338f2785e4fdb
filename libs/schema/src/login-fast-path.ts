import { isIP } from 'node:net';
import semver from 'semver';
import { parseEventTime } from './event-time';
import { formatIsoUtc } from './iso-time';
import { isWellFormedText, LOCALE, toVersion } from './login-formats';
import { assembleLogin, isSchemaField } from './login-shape';
import type { LoginRules } from './login-rules';
import type { LoginField } from './raw-login';
import type { LoginValidation, NormalizedLogin } from './login-shape';
import type { Rejection, RejectionCode } from './rejection-codes';
import { REJECTION_MESSAGES } from './rejection-messages';

const MAX_ID_LENGTH = 256;
/** Shorter version components are exact as numbers (below 2^53) and never too big for semver. */
const MAX_VERSION_DIGITS = 15;
/** A power of two; live logins' event times span a few seconds (delivery jitter). */
const EVENT_TIME_SLOTS = 8;
const DOT = 0x2e;
const ZERO = 0x30;

/** Whether zod's `z.string().trim().min(1)` passes the string as it is: not empty, nothing to trim. */
function isTrimmedNonEmpty(s: string): boolean {
  if (s.length === 0) return false;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // Printable ASCII other than space is never trimmed; any other edge asks trim() itself.
  return (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) || s.trim() === s;
}

// zod counts code points, which never exceed UTF-16 units, so within 256 units it passes too;
// a longer id is left to zod.
function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_ID_LENGTH && isTrimmedNonEmpty(v);
}

/**
 * How `v` compares to `min` (-1, 0 or 1) if it is MAJOR.MINOR[.PATCH] in plain decimals (no
 * leading zeros, no prefix, no prerelease or build); undefined for anything else. Such a
 * version means the same to toVersion and semver, so zod's rule agrees with this order.
 */
function comparePlainVersion(v: string, min: readonly [number, number, number]): number | undefined {
  let i = 0;
  // The sign of v - min over the components read so far.
  let order = 0;
  for (let part = 0; part < 3; part++) {
    let value = 0;
    // MAJOR.MINOR reads as MAJOR.MINOR.0, as toVersion pads it.
    if (part < 2 || i < v.length) {
      if (part > 0 && v.charCodeAt(i++) !== DOT) return undefined;
      const start = i;
      while (i < v.length) {
        const digit = v.charCodeAt(i) - ZERO;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
        i++;
      }
      const digits = i - start;
      if (digits === 0 || digits > MAX_VERSION_DIGITS || (digits > 1 && v.charCodeAt(start) === ZERO)) return undefined;
    }
    if (order === 0) order = value > min[part] ? 1 : value < min[part] ? -1 : 0;
  }
  return i === v.length ? order : undefined;
}

/** The rejection zod's schema reports for a required field that is absent or undefined. */
function missing(field: LoginField): Rejection {
  return { code: 'MISSING_FIELD', field, message: REJECTION_MESSAGES.missing(field) };
}

/** A rule broken by a well-formed value; key order as login-validation's toRejection builds it. */
function broken(code: RejectionCode, field: LoginField, message: string): Rejection {
  return { code, field, message };
}

/**
 * A hand-written validator that answers the common login without zod, valid or not. It returns
 * exactly what the zod validator of login-validation.ts returns: the normalized login, or the
 * rejections of every rule broken by a well-formed value (an absent required field, an
 * unsupported device type, an address that is none, a version below the minimum...). It returns
 * undefined when anything about the record is unusual (a wrong type, null, padding, an odd
 * version form); zod then decides. So whatever it cannot prove cheaply it declines.
 *
 * The login is a new object like zod's, the input is never touched. Its keys come in zod's
 * order too, so even the JSON is the same: the fields of the schema in schema order (an
 * optional one only when the input has the key), then the other keys in input order, then
 * event_time and event_time_ms. Rejections come in the schema's field order, as zod reports them.
 */
export function createFastLoginCheck(rules: LoginRules, clock: () => number): (input: unknown) => LoginValidation | undefined {
  const required = new Set<LoginField>(rules.requiredFields);
  const appVersionRequired = required.has('app_version');
  const deviceTypeRequired = required.has('device_type');
  const ipRequired = required.has('ip');
  const localeRequired = required.has('locale');
  const deviceIdRequired = required.has('device_id');
  const canonicalDevice = new Map(rules.supportedDeviceTypes.map((d) => [d.toLowerCase(), d]));
  const minVersion = semver.parse(toVersion(rules.minAppVersion));
  if (minVersion === null) throw new Error(`minimum app version "${rules.minAppVersion}" is not a version`);
  const min = [minVersion.major, minVersion.minor, minVersion.patch] as const;
  const { maxFutureSkewMs } = rules;
  // Live logins mostly carry whole seconds from the last few seconds: a small cache keyed by the
  // second answers most of them, and with a string the JSON of earlier logins already flattened,
  // which measured far cheaper than formatting even with formatIsoUtc. Spread-out times miss it
  // at little cost.
  const cachedMs = new Float64Array(EVENT_TIME_SLOTS).fill(Number.NaN);
  const cachedEventTimes = new Array<string>(EVENT_TIME_SLOTS).fill('');
  const eventTimeOf = (ms: number): string => {
    const slot = Math.floor(ms / 1000) & (EVENT_TIME_SLOTS - 1);
    if (cachedMs[slot] !== ms) {
      cachedEventTimes[slot] = formatIsoUtc(ms);
      cachedMs[slot] = ms;
    }
    return cachedEventTimes[slot];
  };

  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
    const record = input as Record<string, unknown>;
    // Allocated by the first broken rule; a valid login never needs it.
    let rejections: Rejection[] | undefined;

    // zod's .optional() admits an absent or undefined field, never null; a required one that is
    // absent or undefined is MISSING_FIELD.
    const userId = record['user_id'];
    if (userId === undefined) rejections = [missing('user_id')];
    else if (!isId(userId)) return undefined;
    else if (!isWellFormedText(userId)) rejections = [broken('INVALID_UNICODE', 'user_id', REJECTION_MESSAGES.notUnicode('user_id'))];

    const deviceId = record['device_id'];
    if (deviceId === undefined) {
      if (deviceIdRequired) (rejections ??= []).push(missing('device_id'));
    } else if (!isId(deviceId)) return undefined;

    const appVersion = record['app_version'];
    if (appVersion === undefined) {
      if (appVersionRequired) (rejections ??= []).push(missing('app_version'));
    } else {
      const order = typeof appVersion === 'string' ? comparePlainVersion(appVersion, min) : undefined;
      if (order === undefined) return undefined;
      // Equal to a prerelease minimum still passes: semver orders a release after its prereleases.
      if (order < 0) {
        (rejections ??= []).push(broken('APP_VERSION_TOO_OLD', 'app_version', REJECTION_MESSAGES.versionTooOld(appVersion as string, rules.minAppVersion)));
      }
    }

    const deviceType = record['device_type'];
    let canonicalType: string | undefined;
    if (deviceType === undefined) {
      if (deviceTypeRequired) (rejections ??= []).push(missing('device_type'));
    } else {
      if (typeof deviceType !== 'string' || !isTrimmedNonEmpty(deviceType)) return undefined;
      canonicalType = canonicalDevice.get(deviceType.toLowerCase());
      if (canonicalType === undefined) {
        (rejections ??= []).push(
          broken('UNSUPPORTED_DEVICE_TYPE', 'device_type', REJECTION_MESSAGES.unsupportedDeviceType(deviceType, rules.supportedDeviceTypes)),
        );
      }
    }

    const ip = record['ip'];
    if (ip === undefined) {
      if (ipRequired) (rejections ??= []).push(missing('ip'));
    } else {
      if (typeof ip !== 'string' || !isTrimmedNonEmpty(ip)) return undefined;
      // isIP is zod's own rule; a hand-written dotted-quad check measured slower than its regex.
      if (isIP(ip) === 0) (rejections ??= []).push(broken('INVALID_IP', 'ip', REJECTION_MESSAGES.invalidIp(ip)));
    }

    const locale = record['locale'];
    let upperLocale: string | undefined;
    if (locale === undefined) {
      if (localeRequired) (rejections ??= []).push(missing('locale'));
    } else {
      if (typeof locale !== 'string') return undefined;
      // LOCALE admits only ASCII letters, digits, '-' and '_', so nothing to trim.
      if (LOCALE.test(locale)) upperLocale = locale.toUpperCase();
      else if (isTrimmedNonEmpty(locale)) (rejections ??= []).push(broken('INVALID_LOCALE', 'locale', REJECTION_MESSAGES.invalidLocale(locale)));
      else return undefined;
    }

    const timestamp = record['timestamp'];
    const time = parseEventTime(timestamp, clock(), maxFutureSkewMs);
    if (!time.ok) {
      let last: Rejection;
      if (timestamp === undefined) last = missing('timestamp');
      // A number or a non-blank string is rejected as parseEventTime says; a blank string is
      // MISSING_FIELD to zod and any other type an issue of zod's own: left to it.
      else if (typeof timestamp === 'number' || (typeof timestamp === 'string' && timestamp.trim() !== '')) last = time.rejection;
      else return undefined;
      return { ok: false, rejections: [...(rejections ?? []), last] };
    }
    if (rejections !== undefined) return { ok: false, rejections };
    const eventTime = eventTimeOf(time.ms);

    // The usual login has all of the schema's fields and no other: a literal, in the schema's
    // order (SCHEMA_FIELD_ORDER), builds it several times faster than copying key by key.
    let extraKeys = false;
    for (const key in record) {
      if (!isSchemaField(key)) {
        extraKeys = true;
        break;
      }
    }
    if (!extraKeys && deviceId !== undefined && appVersion !== undefined && deviceType !== undefined && ip !== undefined && locale !== undefined) {
      // Strings all: checked above.
      const login: NormalizedLogin = {
        user_id: userId as string,
        device_id: deviceId,
        app_version: appVersion as string,
        device_type: canonicalType,
        ip,
        locale: upperLocale,
        timestamp: timestamp as number | string,
        event_time: eventTime,
        event_time_ms: time.ms,
      };
      return { ok: true, login };
    }
    return assembleLogin(
      record,
      { user_id: userId, device_id: deviceId, app_version: appVersion, device_type: canonicalType, ip, locale: upperLocale, timestamp },
      eventTime,
      time.ms,
    );
  };
}
