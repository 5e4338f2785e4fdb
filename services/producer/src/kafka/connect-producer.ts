import { ensureTopics } from '@login-stream/kafka';
import type { ReachOptions, TopicSpec } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { Admin, CompressionTypes, Kafka, Producer } from 'kafkajs';
import { keyPartitioner, reachKafka, readMaxMessageBytes } from '@login-stream/kafka';
import { ResumableRun } from './resumable-run';

/** `timeoutMs`: gives up on an unreachable broker after this long instead of retrying forever. */
export interface ConnectOptions extends ReachOptions {
  readonly logger: Logger;
}

/** Makes sure the topic exists (the broker does not auto-create) and reads the most a record batch of it may weigh. */
async function prepareTopic(admin: Admin, topic: TopicSpec, options: ConnectOptions): Promise<number> {
  await ensureTopics(admin, [topic], { logger: options.logger });
  return (await readMaxMessageBytes(admin, [topic.name])).get(topic.name) as number;
}

/**
 * Prepares the topic, then connects an idempotent producer. One request in flight per broker
 * keeps each partition's order even on retries.
 */
export async function connectProducer(kafka: Kafka, topic: TopicSpec, options: ConnectOptions): Promise<{ producer: Producer; maxMessageBytes: number }> {
  const admin = kafka.admin();
  await reachKafka(admin.connect(), options);
  let maxMessageBytes: number;
  try {
    maxMessageBytes = await prepareTopic(admin, topic, options);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyPartitioner });
  await reachKafka(producer.connect(), options);
  return { producer, maxMessageBytes };
}

/**
 * Makes sure the topic exists, then opens the resumable run: its admin client stays connected
 * (the run reads its progress through it) until `close`.
 */
export async function connectResumableRun(
  kafka: Kafka,
  topic: TopicSpec,
  runId: string,
  compression: CompressionTypes | undefined,
  options: ConnectOptions,
): Promise<{ run: ResumableRun; maxMessageBytes: number; close: () => Promise<void> }> {
  const admin: Admin = kafka.admin();
  await reachKafka(admin.connect(), options);
  try {
    const maxMessageBytes = await prepareTopic(admin, topic, options);
    const run = await reachKafka(ResumableRun.open({ kafka, admin, logger: options.logger, runId, topic: topic.name, ...(compression !== undefined && { compression }) }), options);
    return { run, maxMessageBytes, close: async () => void (await Promise.allSettled([run.close(), admin.disconnect()])) };
  } catch (err) {
    await admin.disconnect();
    throw err;
  }
}
