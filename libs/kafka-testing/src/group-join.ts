import type { Consumer } from 'kafkajs';
import { withTimeout } from './wait-for';

/**
 * Resolves when `consumer` has joined its group and received an assignment. Call it before
 * `consumer.run()` so the event cannot be missed.
 */
export function waitForGroupJoin(consumer: Consumer, timeoutMs = 30_000): Promise<void> {
  let remove: (() => void) | undefined;
  const joined = new Promise<void>((resolve) => {
    remove = consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  return withTimeout(joined, { timeoutMs, description: 'the consumer to join its group' }).finally(() => remove?.());
}
