/**
 * Why a record was dead-lettered. A closed set: dashboards and alerts group on it. The rules of
 * a login come first; the last three are about one record that could not be handled or written
 * (an output over the topic's max.message.bytes, a handler that threw on it), never a reason
 * to stop the partition. A rejection may also name the field it is about.
 */
export const REJECTION_CODES = [
  'NOT_UTF8',
  'NOT_JSON',
  'NOT_AN_OBJECT',
  'MISSING_FIELD',
  'INVALID_FIELD_TYPE',
  'INVALID_TIMESTAMP',
  'TIMESTAMP_OUT_OF_RANGE',
  'INVALID_IP',
  'UNSUPPORTED_DEVICE_TYPE',
  'INVALID_APP_VERSION',
  'APP_VERSION_TOO_OLD',
  'INVALID_LOCALE',
  'INVALID_UNICODE',
  'NESTING_TOO_DEEP',
  'RECORD_TOO_LARGE',
  'PROCESSING_ERROR',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  /** The raw field at fault, when the rule is about one field. */
  readonly field?: string;
  /** For people reading the DLQ. */
  readonly message: string;
}
