import { readToEnd } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { headerText } from '@login-stream/schema';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

const logger = createLogger({ service: 'topic-reader', level: 'warn' });

export type TopicRecord = KafkaMessage & { readonly partition: number };

/** Every committed record of a topic as of now (read_committed), in partition then offset order. */
export async function readCommitted(kafka: Kafka, admin: Admin, topic: string): Promise<TopicRecord[]> {
  const all: TopicRecord[] = [];
  await readToEnd(kafka, admin, { topic, groupIdPrefix: 'pipeline-test-read', timeoutMs: 60_000, logger, onBatch: (partition, messages) => all.push(...messages.map((m) => ({ ...m, partition }))) });
  return all.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

export function header(m: KafkaMessage, name: string): string | undefined {
  return headerText(m.headers, name);
}
