import type { SeededRandom } from './seeded-random';
import { weightedPicker } from './seeded-random';
import type { LoginRecord } from './login-record';

/**
 * The ways a generated login is broken, one per downstream validation rule. A timestamp given
 * as a numeric string is deliberately not here: the validator accepts it (the reference data
 * has it), so the generator uses it as a variation of valid logins instead.
 */
export const BAD_LOGIN_KINDS = [
  'missing_field',
  'non_numeric_timestamp',
  'malformed_ip',
  'old_app_version',
  'unsupported_device_type',
  'not_json',
] as const;

export type BadLoginKind = (typeof BAD_LOGIN_KINDS)[number];

export type GeneratedLogin =
  | { readonly kind: 'valid' | Exclude<BadLoginKind, 'not_json'>; readonly record: Readonly<Record<string, unknown>> }
  | { readonly kind: 'not_json'; readonly bytes: Buffer };

// Missing fields are the most common defect in the reference data, so they get double weight.
const KINDS = weightedPicker<BadLoginKind>(BAD_LOGIN_KINDS.map((kind) => [kind, kind === 'missing_field' ? 2 : 1]));

// device_type is missing most often (half the time); any other field can go missing too.
const MISSING = weightedPicker<keyof LoginRecord>([
  ['device_type', 6],
  ['user_id', 1],
  ['app_version', 1],
  ['ip', 1],
  ['locale', 1],
  ['device_id', 1],
  ['timestamp', 1],
]);

const NON_NUMERIC_TIMESTAMPS = ['yesterday', 'N/A', '1694479551x', 'NaN', '12:30:00'];
const MALFORMED_IPS = ['256.12.7.1', '10.0.0', '192.168.1.1.5', 'localhost', '999.999.999.999', '12.34.56.abc'];
const OLD_APP_VERSIONS = ['2.2.9', '2.2.0', '2.0.0', '1.9.3', '2.2'];
const UNSUPPORTED_DEVICE_TYPES = ['windows-phone', 'web', 'blackberry', 'tizen'];

/** Bytes that are not JSON; none contains a newline, so they stay one line in a JSON Lines file. */
function notJson(record: LoginRecord, random: SeededRandom): Buffer {
  switch (random.below(3)) {
    case 0: {
      const json = JSON.stringify(record);
      return Buffer.from(json.slice(0, 1 + random.below(json.length - 2)));
    }
    case 1:
      return Buffer.from(`login user=${record.user_id} device=${record.device_type} ok`);
    default:
      // Not even UTF-8.
      return Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0xc3, 0x28]);
  }
}

/** Turns a valid login into one of the bad kinds, picked at random. */
export function spoilLogin(record: LoginRecord, random: SeededRandom): GeneratedLogin {
  const kind = KINDS(random.next());
  switch (kind) {
    case 'missing_field': {
      const { [MISSING(random.next())]: _dropped, ...rest } = record;
      return { kind, record: rest };
    }
    case 'non_numeric_timestamp':
      return { kind, record: { ...record, timestamp: random.pick(NON_NUMERIC_TIMESTAMPS) } };
    case 'malformed_ip':
      return { kind, record: { ...record, ip: random.pick(MALFORMED_IPS) } };
    case 'old_app_version':
      return { kind, record: { ...record, app_version: random.pick(OLD_APP_VERSIONS) } };
    case 'unsupported_device_type':
      return { kind, record: { ...record, device_type: random.pick(UNSUPPORTED_DEVICE_TYPES) } };
    case 'not_json':
      return { kind, bytes: notJson(record, random) };
  }
}
