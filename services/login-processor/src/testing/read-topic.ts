import { readToEnd } from '@login-stream/kafka';
import type { CollectedMessage } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import type { Admin, Kafka } from 'kafkajs';

const logger = createLogger({ service: 'read-topic', level: 'warn' });

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
  const received: CollectedMessage[] = [];
  await readToEnd(kafka, admin, {
    topic,
    readUncommitted: options.readUncommitted,
    groupIdPrefix: 'read',
    timeoutMs: options.timeoutMs,
    logger,
    onBatch: (partition, messages) => {
      for (const m of messages) received.push({ partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {} });
    },
  });
  return received.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
