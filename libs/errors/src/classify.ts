import { isLoginStreamError } from './login-stream-error';

/**
 * How a failure must be handled:
 * - `transient`: retry the same work (broker down or restarting, leader election, timeout);
 * - `fenced`: another instance took over this work; stop touching it, do not retry;
 * - `fatal`: a bug or misconfiguration; crash so the supervisor restarts us loudly.
 *
 * Bad input is never an error here: a record that cannot be processed or written is
 * dead-lettered by the stage, so a poison message cannot reach this function.
 */
export type FailureKind = 'transient' | 'fenced' | 'fatal';

// kafkajs error names for a producer whose transactional id was taken over by a newer epoch.
const FENCED_NAMES = new Set(['KafkaJSInvalidProducerEpoch', 'KafkaJSProducerFencedError']);
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);
/**
 * kafkajs errors that mean "the cluster cannot be reached or is between leaders right now",
 * several of which kafkajs marks non-retriable (a group coordinator not found while the broker
 * restarts, for one).
 */
const TRANSIENT_NAMES = /Timeout|Connection|NumberOfRetriesExceeded|BrokerNotFound|NoBrokerAvailable|CoordinatorNotFound|MetadataNotLoaded|StaleTopicMetadata/;
/** Broker answers that mean "not now": the same request succeeds a little later. */
const TRANSIENT_TYPES = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'CONCURRENT_TRANSACTIONS']);
/** Node's socket errors, as a connection to a broker that went away or restarts reports them. */
const TRANSIENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

interface KafkaJsLikeError {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly code?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: unknown;
}

function asKafkaJsLike(err: unknown): KafkaJsLikeError | undefined {
  return typeof err === 'object' && err !== null ? err : undefined;
}

/** The errors this one wraps: kafkajs' originalError and cause, and an aggregate's errors. */
function wrapped(e: KafkaJsLikeError): unknown[] {
  const inner: unknown[] = [];
  if (e.originalError !== undefined) inner.push(e.originalError);
  if (e.cause !== undefined) inner.push(e.cause);
  if (Array.isArray(e.errors)) inner.push(...(e.errors as unknown[]));
  return inner;
}

function classifyOwn(e: KafkaJsLikeError): FailureKind {
  if (FENCED_NAMES.has(String(e.name)) || FENCED_TYPES.has(String(e.type))) return 'fenced';
  if (e.retriable === true || TRANSIENT_TYPES.has(String(e.type)) || TRANSIENT_SYSTEM_CODES.has(String(e.code))) return 'transient';
  if (typeof e.name === 'string' && TRANSIENT_NAMES.test(e.name)) return 'transient';
  return 'fatal';
}

/**
 * The single place that decides transient vs fenced vs fatal. Wrappers are looked through:
 * fencing anywhere inside wins, then a transient cause anywhere inside, since kafkajs wraps a
 * refused connection in errors it marks non-retriable.
 */
export function classifyFailure(err: unknown): FailureKind {
  return classify(err, new Set());
}

function classify(err: unknown, seen: Set<unknown>): FailureKind {
  if (seen.has(err)) return 'fatal';
  seen.add(err);
  if (isLoginStreamError(err)) {
    if (err.code === 'PRODUCER_FENCED') return 'fenced';
    if (err.code === 'BROKER_UNREACHABLE' || err.code === 'TIMEOUT' || err.code === 'STALE_TOPIC_LIMITS') return 'transient';
    if (err.cause !== undefined) return classify(err.cause, seen);
    return 'fatal';
  }
  const e = asKafkaJsLike(err);
  if (e === undefined) return 'fatal';
  const inner = wrapped(e).map((cause) => classify(cause, seen));
  if (inner.includes('fenced')) return 'fenced';
  const own = classifyOwn(e);
  if (own !== 'fatal') return own;
  return inner.includes('transient') ? 'transient' : 'fatal';
}
