import type { Rejection } from './rejection-codes';
import { REJECTION_MESSAGES } from './rejection-messages';

/** A valid login after normalization; unknown input fields ride along untouched. */
export interface NormalizedLogin {
  readonly user_id: string;
  readonly app_version?: string;
  /** Canonical spelling from the rules' supported device types. */
  readonly device_type?: string;
  readonly ip?: string;
  /** Upper case. */
  readonly locale?: string;
  readonly device_id?: string;
  /** As received. */
  readonly timestamp: number | string;
  /** Event time as ISO-8601 UTC. */
  readonly event_time: string;
  readonly event_time_ms: number;
  readonly [extra: string]: unknown;
}

export type LoginValidation =
  | { readonly ok: true; readonly login: NormalizedLogin }
  | { readonly ok: false; readonly rejections: readonly Rejection[] };

/** The schema's fields in the order a normalized login (and so its JSON) lists them. */
export const SCHEMA_FIELD_ORDER = ['user_id', 'device_id', 'app_version', 'device_type', 'ip', 'locale', 'timestamp'] as const;

/**
 * How deep a processed login's JSON may nest, the login itself being level 1. Deeper values are
 * rejected rather than written: JSON.stringify recurses (100k levels overflow its stack), and so
 * do many readers downstream (Python's json stops near 1,000).
 */
export const MAX_NESTING_DEPTH = 256;

/** Whether the key is a field of the schema (a switch measured faster than a Set here). */
export function isSchemaField(key: string): boolean {
  switch (key) {
    case 'user_id':
    case 'device_id':
    case 'app_version':
    case 'device_type':
    case 'ip':
    case 'locale':
    case 'timestamp':
      return true;
    default:
      return false;
  }
}

/** Whether `value`, sitting at `depth`, holds anything below MAX_NESTING_DEPTH; iterative, so any depth is safe. */
function nestsTooDeep(value: unknown, depth: number): boolean {
  const stack: Array<readonly [unknown, number]> = [[value, depth]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, level] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (level > MAX_NESTING_DEPTH) return true;
    for (const child of Object.values(item)) if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
  }
  return false;
}

/** A field of the login made an own property even when named `__proto__`, which assignment would turn into a prototype. */
function define(login: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(login, key, { value, enumerable: true, writable: true, configurable: true });
  else login[key] = value;
}

/**
 * Builds the normalized login of a valid record that is not of the usual shape, for zod and the
 * fast path alike, so both give the same object down to its key order: the schema's fields the
 * input has (`in`, so present-but-undefined ones too) in schema order with their normalized
 * values, then every other key `for...in` yields, in input order, `__proto__` and `constructor`
 * included as plain fields, then event_time and event_time_ms. A record whose other fields nest
 * deeper than MAX_NESTING_DEPTH is rejected as NESTING_TOO_DEEP.
 */
export function assembleLogin(
  record: Readonly<Record<string, unknown>>,
  normalized: Readonly<Partial<Record<(typeof SCHEMA_FIELD_ORDER)[number], unknown>>>,
  eventTime: string,
  eventTimeMs: number,
): LoginValidation {
  const login: Record<string, unknown> = {};
  for (const field of SCHEMA_FIELD_ORDER) if (field in record) login[field] = normalized[field];
  for (const key in record) {
    if (isSchemaField(key)) continue;
    const value = record[key];
    // The login itself is level 1, so a field's value starts at level 2.
    if (nestsTooDeep(value, 2)) {
      return { ok: false, rejections: [{ code: 'NESTING_TOO_DEEP', field: key, message: REJECTION_MESSAGES.tooDeep(key, MAX_NESTING_DEPTH) }] };
    }
    define(login, key, value);
  }
  login['event_time'] = eventTime;
  login['event_time_ms'] = eventTimeMs;
  return { ok: true, login: login as NormalizedLogin };
}
