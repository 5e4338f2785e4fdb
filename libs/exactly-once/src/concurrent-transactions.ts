import { setTimeout as delay } from 'node:timers/promises';

const ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 5;

/**
 * Retries a transactional request while the coordinator still completes this producer's previous
 * transaction (it answers CONCURRENT_TRANSACTIONS until the commit markers are written). kafkajs
 * retries that for AddPartitionsToTxn but not for AddOffsetsToTxn, the first request of a
 * transaction that only commits offsets.
 */
export async function retryWhileConcurrent<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (attempt >= ATTEMPTS || (err as { type?: unknown }).type !== 'CONCURRENT_TRANSACTIONS') throw err;
      await delay(FIRST_BACKOFF_MS * 2 ** attempt);
    }
  }
}
