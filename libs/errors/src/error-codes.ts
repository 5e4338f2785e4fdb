/**
 * The closed set of error codes the pipeline raises. Every failure that crosses a module
 * boundary carries one of these, so logs and alerts can be keyed on it.
 */
export const ERROR_CODES = [
  'CONFIG_INVALID',
  /** A dependency lacks the patch the repository applies to it at install. */
  'DEPENDENCY_UNPATCHED',
  'BROKER_UNREACHABLE',
  'TOPIC_SETUP_FAILED',
  'PRODUCE_FAILED',
  'TRANSACTION_FAILED',
  /** The broker refused a write sized by topic limits read earlier: read them again and retry. */
  'STALE_TOPIC_LIMITS',
  'PRODUCER_FENCED',
  'STATE_RESTORE_FAILED',
  'INPUT_UNREADABLE',
  'SHUTDOWN_TIMEOUT',
  'TIMEOUT',
  'UNEXPECTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
