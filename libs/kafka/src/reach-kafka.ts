import { LoginStreamError } from '@login-stream/errors';

/** An unreachable broker fails a service's start within this, rather than being retried forever. */
export const CONNECT_TIMEOUT_MS = 15_000;

export interface ReachOptions {
  /** For the error message only. */
  readonly brokers: readonly string[];
  /** CONNECT_TIMEOUT_MS unless given. */
  readonly timeoutMs?: number;
}

/**
 * Awaits a first connection (a client's connect, a first request) and turns its failure, or no
 * answer within `timeoutMs`, into BROKER_UNREACHABLE naming the brokers and KAFKA_BROKERS: a
 * wrong address says so, not kafkajs' "number of retries exceeded".
 */
export async function reachKafka<T>(what: Promise<T>, options: ReachOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([what, deadline]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new LoginStreamError('BROKER_UNREACHABLE', `cannot reach Kafka at ${options.brokers.join(',')} (KAFKA_BROKERS): ${reason}`, {
      cause: err,
      details: { brokers: options.brokers },
    });
  } finally {
    clearTimeout(timer);
  }
}
