import { randomUUID } from 'node:crypto';
import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadToEndOptions {
  readonly topic: string;
  /** Only these partitions; every partition when omitted. */
  readonly partitions?: readonly number[];
  /** Where to start in a partition (its earliest offset when omitted). */
  readonly from?: ReadonlyMap<number, string>;
  /** Where to stop in a partition, exclusive (its end as of the call when omitted). */
  readonly until?: ReadonlyMap<number, string>;
  /** Defaults to false: read_committed, so the end is the last stable offset. */
  readonly readUncommitted?: boolean;
  /** Prefix of the throwaway consumer group. */
  readonly groupIdPrefix: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Throwing ends the read: readToEnd rejects with that error. */
  readonly onBatch: (partition: number, messages: readonly KafkaMessage[]) => void;
}

/**
 * Reads partitions of a topic from the beginning (or `from`) up to their end as of the call
 * (or `until`), each message once and in order, with a throwaway group that commits nothing. kafkajs has no manual assignment, so the end of each
 * partition is detected from END_BATCH_PROCESS, which it emits even for batches that held
 * only transaction markers (the last offsets of a transactional topic).
 */
export async function readToEnd(kafka: Kafka, admin: Admin, options: ReadToEndOptions): Promise<void> {
  const { topic, logger, timeoutMs } = options;
  const wanted = options.partitions === undefined ? undefined : new Set(options.partitions);
  // Last offset to reach per partition; empty ranges are done already.
  const remaining = new Map<number, bigint>();
  // The next offset to hand over per partition: a batch fetched before the seek, or again after it, is cut to what is new.
  const next = new Map<number, bigint>();
  const end = new Map<number, bigint>();
  for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
    if (wanted !== undefined && !wanted.has(partition)) continue;
    const start = BigInt(options.from?.get(partition) ?? low);
    const stop = BigInt(options.until?.get(partition) ?? high);
    next.set(partition, start);
    end.set(partition, stop);
    if (stop > start) remaining.set(partition, stop - 1n);
  }
  if (remaining.size === 0) return;

  const groupId = `${options.groupIdPrefix}-${randomUUID()}`;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  let timer: NodeJS.Timeout | undefined;
  let failBatch: (err: unknown) => void = () => undefined;
  try {
    const done = new Promise<void>((resolve, reject) => {
      failBatch = reject;
      timer = setTimeout(
        () =>
          reject(
            new LoginStreamError('TIMEOUT', `reading ${topic} to its end took over ${timeoutMs} ms`, {
              details: { topic, partitionsLeft: [...remaining.keys()] },
            }),
          ),
        timeoutMs,
      );
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const last = remaining.get(payload.partition);
        if (last !== undefined && BigInt(payload.lastOffset) >= last) remaining.delete(payload.partition);
        if (remaining.size === 0) resolve();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
    done.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const from = next.get(batch.partition);
        const stop = end.get(batch.partition);
        if (from === undefined || stop === undefined) return;
        const messages = batch.messages.filter((m) => BigInt(m.offset) >= from && BigInt(m.offset) < stop);
        if (messages.length === 0) return;
        next.set(batch.partition, BigInt(messages[messages.length - 1].offset) + 1n);
        // Thrown into kafkajs, the error would only make it fetch the batch again.
        try {
          options.onBatch(batch.partition, messages);
        } catch (err) {
          failBatch(err);
        }
      },
    });
    for (const [partition, start] of next) if (options.from?.has(partition) === true) consumer.seek({ topic, partition, offset: start.toString() });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    // The group never commits and expires on its own; deleting it just keeps tools tidy.
    await admin.deleteGroups([groupId]).catch((err: unknown) => logger.warn({ err, groupId }, 'could not delete a throwaway group'));
  }
}
