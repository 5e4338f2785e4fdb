import { readMaxMessageBytes } from '@login-stream/kafka';
import type { Admin } from 'kafkajs';
import type { OutputTopics } from './record-batch';

/**
 * Reads from the broker what bounds the stage's writes: each output topic's max.message.bytes
 * and the DLQ's partition count. Read at start and whenever partitions are taken over, so a
 * limit changed meanwhile is seen by the next owner.
 */
export async function readOutputTopics(admin: Admin, outputTopics: readonly string[], deadLetterTopic: string): Promise<OutputTopics> {
  const maxBatchBytes = await readMaxMessageBytes(admin, [...outputTopics, deadLetterTopic]);
  const { topics } = await admin.fetchTopicMetadata({ topics: [deadLetterTopic] });
  return { maxBatchBytes, deadLetterTopic, deadLetterPartitions: Math.max(1, topics[0]?.partitions.length ?? 0) };
}
