import { isLoginStreamError, LoginStreamError } from '@login-stream/errors';
import { readToEnd } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

export interface ReplayRangeOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly topic: string;
  readonly partition: number;
  /** First offset to replay; `until` is exclusive. */
  readonly from: string;
  readonly until: string;
  readonly groupIdPrefix: string;
  readonly timeoutMs: number;
  readonly onMessage: (message: KafkaMessage) => void;
}

/**
 * Replays what a stage took of one partition before its checkpoint, read_committed, each record
 * once and in order. Retention may have deleted the start of the range: what remains is replayed
 * and the loss is logged. A replay that outlasts STATE_RESTORE_TIMEOUT_MS would only be tried
 * again and again: it is fatal, naming the setting.
 */
export async function replayRange(options: ReplayRangeOptions): Promise<void> {
  const { admin, logger, topic, partition, from, until } = options;
  if (BigInt(from) >= BigInt(until)) return;
  const low = (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition)?.low ?? '0';
  if (BigInt(low) > BigInt(from)) {
    logger.warn({ topic, partition, from, earliest: low, until }, 'retention deleted the start of the range to replay: open windows are rebuilt from what remains');
  }
  try {
    await readToEnd(options.kafka, admin, {
      topic,
      partitions: [partition],
      from: new Map([[partition, BigInt(low) > BigInt(from) ? low : from]]),
      until: new Map([[partition, until]]),
      groupIdPrefix: options.groupIdPrefix,
      timeoutMs: options.timeoutMs,
      logger,
      onBatch: (_, messages) => messages.forEach(options.onMessage),
    });
  } catch (err) {
    if (isLoginStreamError(err) && err.code === 'TIMEOUT') {
      throw new LoginStreamError('STATE_RESTORE_FAILED', `replaying ${topic} partition ${partition} from offset ${from} to ${until} took over STATE_RESTORE_TIMEOUT_MS (${options.timeoutMs} ms): raise it for windows this large`, {
        cause: err,
        details: { topic, partition, from, until },
      });
    }
    throw err;
  }
}
