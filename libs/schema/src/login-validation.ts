import { isIP } from 'node:net';
import semver from 'semver';
import { z } from 'zod';
import { parseEventTime } from './event-time';
import { formatIsoUtc } from './iso-time';
import { createFastLoginCheck } from './login-fast-path';
import { isWellFormedText, LOCALE, toVersion } from './login-formats';
import { assembleLogin } from './login-shape';
import type { LoginValidation } from './login-shape';
import type { LoginRules } from './login-rules';
import type { LoginField } from './raw-login';
import type { Rejection, RejectionCode } from './rejection-codes';
import { REJECTION_MESSAGES } from './rejection-messages';

/** A zod check that fails with one of our rejection codes and a message built from the value. */
function rule<T>(reason: RejectionCode, holds: (value: T) => boolean, describe: (value: T) => string) {
  return (value: T, ctx: z.RefinementCtx) => {
    if (!holds(value)) ctx.addIssue({ code: 'custom', message: describe(value), params: { reason } });
  };
}

function buildSchema(rules: LoginRules, clock: () => number) {
  // The key and the event time are never optional: nothing downstream works without them.
  const required = new Set<LoginField>([...rules.requiredFields, 'user_id', 'timestamp']);
  const canonicalDevice = new Map(rules.supportedDeviceTypes.map((d) => [d.toLowerCase(), d]));
  const minVersion = toVersion(rules.minAppVersion);
  if (minVersion === null) throw new Error(`minimum app version "${rules.minAppVersion}" is not a version`);

  const nonEmpty = z.string().trim().min(1);
  const fields = {
    // The key of every output: a lone surrogate has no UTF-8 bytes, so two such ids would share one.
    user_id: nonEmpty.max(256).superRefine(rule<string>('INVALID_UNICODE', isWellFormedText, () => REJECTION_MESSAGES.notUnicode('user_id'))),
    device_id: nonEmpty.max(256),
    app_version: nonEmpty.superRefine((v, ctx) => {
      const version = toVersion(v);
      if (version === null) {
        ctx.addIssue({ code: 'custom', message: REJECTION_MESSAGES.notAVersion(v), params: { reason: 'INVALID_APP_VERSION' } });
      } else if (semver.lt(version, minVersion)) {
        ctx.addIssue({
          code: 'custom',
          message: REJECTION_MESSAGES.versionTooOld(v, rules.minAppVersion),
          params: { reason: 'APP_VERSION_TOO_OLD' },
        });
      }
    }),
    device_type: nonEmpty
      .superRefine(
        rule<string>(
          'UNSUPPORTED_DEVICE_TYPE',
          (v) => canonicalDevice.has(v.toLowerCase()),
          (v) => REJECTION_MESSAGES.unsupportedDeviceType(v, rules.supportedDeviceTypes),
        ),
      )
      .transform((v) => canonicalDevice.get(v.toLowerCase()) ?? v),
    ip: nonEmpty.superRefine(
      rule<string>('INVALID_IP', (v) => isIP(v) !== 0, (v) => REJECTION_MESSAGES.invalidIp(v)),
    ),
    locale: nonEmpty
      .superRefine(rule<string>('INVALID_LOCALE', (v) => LOCALE.test(v), (v) => REJECTION_MESSAGES.invalidLocale(v)))
      .transform((v) => v.toUpperCase()),
    timestamp: z.unknown().transform((v, ctx) => {
      const parsed = parseEventTime(v, clock(), rules.maxFutureSkewMs);
      if (parsed.ok) return { original: v as number | string, ms: parsed.ms };
      ctx.addIssue({ code: 'custom', message: parsed.rejection.message, params: { reason: parsed.rejection.code } });
      return z.NEVER;
    }),
  };

  const shape = Object.fromEntries(
    Object.entries(fields).map(([name, schema]) => [name, required.has(name as LoginField) ? schema : schema.optional()]),
  ) as typeof fields;

  // zod validates and normalizes the schema's fields; the login itself is assembled from the
  // input as the fast path assembles it, unknown fields (`__proto__` too) included.
  return z.object(shape);
}

function toRejection(issue: z.core.$ZodIssue, input: Readonly<Record<string, unknown>>): Rejection {
  const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
  if (field === undefined) return { code: 'NOT_AN_OBJECT', message: issue.message };
  const value = input[field];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return { code: 'MISSING_FIELD', field, message: REJECTION_MESSAGES.missing(field) };
  }
  const reason = issue.code === 'custom' ? (issue.params?.['reason'] as RejectionCode | undefined) : undefined;
  if (reason !== undefined) return { code: reason, field, message: issue.message };
  return { code: 'INVALID_FIELD_TYPE', field, message: `${field}: ${issue.message}` };
}

/**
 * The validator with zod alone deciding: the source of truth for every result. Exported for
 * the tests that hold the fast path to it; everyone else uses createLoginValidator.
 */
export function createZodLoginValidator(rules: LoginRules, clock: () => number = Date.now): (input: unknown) => LoginValidation {
  const schema = buildSchema(rules, clock);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      const kind = Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input;
      return { ok: false, rejections: [{ code: 'NOT_AN_OBJECT', message: `expected a JSON object, got ${kind}` }] };
    }
    const record = input as Record<string, unknown>;
    const result = schema.safeParse(record);
    if (!result.success) return { ok: false, rejections: result.error.issues.map((issue) => toRejection(issue, record)) };
    const { original, ms } = result.data.timestamp;
    return assembleLogin(record, { ...result.data, timestamp: original }, formatIsoUtc(ms), ms);
  };
}

/**
 * Builds the validator for raw logins under the given rules. Every failed rule is reported,
 * not just the first, so a dead letter explains itself completely.
 */
export function createLoginValidator(rules: LoginRules, clock: () => number = Date.now): (input: unknown) => LoginValidation {
  const validateWithZod = createZodLoginValidator(rules, clock);
  // zod cost ~11 µs per valid login and 15–50 µs per rejected one (building its error): much of
  // the processor's CPU. The fast path answers the common login, valid or not, in a fraction of
  // that and leaves anything else to zod, so every answer (rejections included) is still zod's.
  const fastValidate = createFastLoginCheck(rules, clock);
  return (input) => fastValidate(input) ?? validateWithZod(input);
}
