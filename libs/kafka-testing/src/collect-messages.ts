import type { Kafka } from 'kafkajs';
import { uniqueName } from './unique-name';
import { withTimeout } from './wait-for';

export interface CollectedMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export interface CollectOptions {
  readonly topic: string;
  /** Resolve once this many messages arrived. */
  readonly count: number;
  readonly timeoutMs?: number;
  /** Defaults to true: transactional output is only visible once committed. */
  readonly readCommitted?: boolean;
}

/**
 * Reads a topic from the beginning with a fresh group until `count` messages have arrived,
 * then disconnects. Fails naming the topic and how many arrived if the timeout passes.
 */
export async function collectMessages(kafka: Kafka, options: CollectOptions): Promise<CollectedMessage[]> {
  const received: CollectedMessage[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('collect'),
    readUncommitted: options.readCommitted === false,
    maxWaitTimeInMs: 100,
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      if (options.count === 0) resolve();
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
            });
            if (received.length >= options.count) resolve();
          },
        })
        .catch(reject);
    });
    await withTimeout(done, {
      timeoutMs,
      get description() {
        return `${options.count} messages on ${options.topic} (got ${received.length})`;
      },
    });
    return received;
  } finally {
    await consumer.disconnect();
  }
}
