import { isLoginStreamError } from './login-stream-error';

/**
 * How a failure must be handled:
 * - `transient`: retry the same work (broker hiccup, leader election, timeout);
 * - `fenced`: another instance took over this work; stop touching it, do not retry;
 * - `fatal`: a bug or misconfiguration; crash so the supervisor restarts us loudly.
 *
 * Bad input is never an error here: validation returns outcomes and bad records are
 * dead-lettered by the domain code, so a poison message cannot reach this function.
 */
export type FailureKind = 'transient' | 'fenced' | 'fatal';

// kafkajs error names for a producer whose transactional id was taken over by a newer epoch.
const FENCED_NAMES = new Set(['KafkaJSInvalidProducerEpoch', 'KafkaJSProducerFencedError']);
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

interface KafkaJsLikeError {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

function asKafkaJsLike(err: unknown): KafkaJsLikeError | undefined {
  return typeof err === 'object' && err !== null ? err : undefined;
}

/** The single place that decides transient vs fenced vs fatal. */
export function classifyFailure(err: unknown): FailureKind {
  if (isLoginStreamError(err)) {
    if (err.code === 'PRODUCER_FENCED') return 'fenced';
    if (err.code === 'BROKER_UNREACHABLE' || err.code === 'TIMEOUT') return 'transient';
    if (err.cause !== undefined) return classifyFailure(err.cause);
    return 'fatal';
  }
  const e = asKafkaJsLike(err);
  if (e === undefined) return 'fatal';
  if (FENCED_NAMES.has(String(e.name)) || FENCED_TYPES.has(String(e.type))) return 'fenced';
  // kafkajs wraps the broker's error (e.g. in KafkaJSNumberOfRetriesExceeded); look inside.
  const inner = e.originalError ?? e.cause;
  if (inner !== undefined && inner !== err && classifyFailure(inner) === 'fenced') return 'fenced';
  if (e.retriable === true) return 'transient';
  if (typeof e.name === 'string' && /Timeout|Connection|NumberOfRetriesExceeded|BrokerNotFound/.test(e.name)) {
    return 'transient';
  }
  return 'fatal';
}
