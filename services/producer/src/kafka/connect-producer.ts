import { LoginStreamError } from '@login-stream/errors';
import { ensureTopics } from '@login-stream/kafka';
import type { TopicSpec } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { Admin, CompressionTypes, Kafka, Producer } from 'kafkajs';
import { keyPartitioner, readMaxMessageBytes } from '@login-stream/kafka';
import { ResumableRun } from './resumable-run';

export interface ConnectOptions {
  readonly logger: Logger;
  /** For the error message only. */
  readonly brokers: readonly string[];
  /** Gives up on an unreachable broker after this long instead of retrying forever. */
  readonly timeoutMs: number;
}

async function reach<T>(what: Promise<T>, options: ConnectOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${options.timeoutMs} ms`)), options.timeoutMs);
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
  await reach(admin.connect(), options);
  let maxMessageBytes: number;
  try {
    maxMessageBytes = await prepareTopic(admin, topic, options);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyPartitioner });
  await reach(producer.connect(), options);
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
  await reach(admin.connect(), options);
  try {
    const maxMessageBytes = await prepareTopic(admin, topic, options);
    const run = await reach(ResumableRun.open({ kafka, admin, logger: options.logger, runId, topic: topic.name, ...(compression !== undefined && { compression }) }), options);
    return { run, maxMessageBytes, close: async () => void (await Promise.allSettled([run.close(), admin.disconnect()])) };
  } catch (err) {
    await admin.disconnect();
    throw err;
  }
}
