import { randomUUID } from 'node:crypto';
import { withTimeout } from '@login-stream/kafka-testing';
import type { CollectedMessage } from '@login-stream/kafka-testing';
import type { Admin, Kafka } from 'kafkajs';

/**
 * Every committed record of a topic as of now, read_committed, in partition then offset order.
 * Unlike counting up to an expected number, this also shows records that should not be there.
 */
export async function readCommitted(kafka: Kafka, admin: Admin, topic: string, timeoutMs = 60_000): Promise<CollectedMessage[]> {
  return readTopic(kafka, admin, topic, { readUncommitted: false, timeoutMs });
}

/**
 * Every record of a topic up to its current end, aborted transactions included: what a
 * read_uncommitted consumer would see.
 */
export async function readUncommitted(kafka: Kafka, admin: Admin, topic: string, timeoutMs = 60_000): Promise<CollectedMessage[]> {
  return readTopic(kafka, admin, topic, { readUncommitted: true, timeoutMs });
}

async function readTopic(kafka: Kafka, admin: Admin, topic: string, options: { readUncommitted: boolean; timeoutMs: number }): Promise<CollectedMessage[]> {
  const { timeoutMs } = options;
  const remaining = new Map<number, bigint>();
  for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
    if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high) - 1n);
  }
  const received: CollectedMessage[] = [];
  if (remaining.size > 0) {
    const groupId = `read-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, readUncommitted: options.readUncommitted, maxWaitTimeInMs: 100 });
    try {
      const done = new Promise<void>((resolve) => {
        // Fires for batches of transaction markers too, so the last stable offset is always reached.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          const last = remaining.get(payload.partition);
          if (last !== undefined && BigInt(payload.lastOffset) >= last) remaining.delete(payload.partition);
          if (remaining.size === 0) resolve();
        });
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            received.push({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {} });
          }
        },
      });
      await withTimeout(done, { timeoutMs, description: `all committed records of ${topic} (got ${received.length})` });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }
  return received.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
