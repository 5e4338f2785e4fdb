import { setTimeout as sleep } from 'node:timers/promises';
import { OutageWindow } from '@login-stream/kafka';
import type { TopicSpec } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { CompressionTypes, Kafka } from 'kafkajs';
import { BatchingSink } from '../kafka/batching-sink';
import { connectProducer } from '../kafka/connect-producer';
import type { OutboundMessage } from '../message';
import { createPacer } from './pacer';
import { startProgress } from './progress';
import type { RunSummary, Terminal } from './progress';

export interface ProduceSettings {
  /** Events per second; Infinity sends as fast as the broker takes them. */
  readonly rate: number;
  /** Messages per send. */
  readonly batchMessages: number;
}

export interface ProduceContext {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly brokers: readonly string[];
  readonly topic: TopicSpec;
  /** Aborting stops reading; what was read is still flushed and summarized. */
  readonly signal: AbortSignal;
  readonly connectTimeoutMs: number;
  /** KAFKA_OUTAGE_TIMEOUT_MS: how long sends are retried while the broker is unreachable. */
  readonly outageTimeoutMs: number;
  /** KAFKA_COMPRESSION, as kafkajs names it. */
  readonly compression?: CompressionTypes;
  /** The live progress line goes here when set (stderr on a terminal). */
  readonly terminal?: Terminal;
}

/** Under the broker's default 1 MB message.max.bytes, see BatchingSink. */
const BATCH_BYTES = 900_000;
/** One batch in flight and one ready behind it: the source never waits for a round trip. */
const MAX_PENDING_BATCHES = 2;
const LINGER_MS = 50;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Sends every message of `source` to the topic, keyed as encoded, then flushes and reports a
 * summary. Rejects (after the summary) when the input or a send fails.
 */
export async function produce(
  source: AsyncIterable<OutboundMessage> | Iterable<OutboundMessage>,
  settings: ProduceSettings,
  context: ProduceContext,
): Promise<RunSummary> {
  const { logger, signal, topic } = context;
  const producer = await connectProducer(context.kafka, topic, {
    logger,
    brokers: context.brokers,
    timeoutMs: context.connectTimeoutMs,
  });
  const { compression } = context;
  const sink = new BatchingSink((messages) => producer.send({ topic: topic.name, acks: -1, messages, ...(compression !== undefined && { compression }) }).then(() => undefined), {
    batchMessages: settings.batchMessages,
    batchBytes: BATCH_BYTES,
    maxPendingBatches: MAX_PENDING_BATCHES,
    lingerMs: LINGER_MS,
    outage: new OutageWindow({ limitMs: context.outageTimeoutMs, what: 'the producer' }),
    logger,
    signal,
  });
  let malformed = 0;
  const progress = startProgress(() => ({ ...sink.counts, malformed }), { logger, terminal: context.terminal });
  const pace = Number.isFinite(settings.rate) ? createPacer(settings.rate) : undefined;
  logger.info({ topic: topic.name, rate: Number.isFinite(settings.rate) ? settings.rate : 'max', batchMessages: settings.batchMessages }, 'producing');

  let failure: Error | undefined;
  try {
    const take = (message: OutboundMessage): Promise<void> | undefined => {
      if (message.malformed) malformed++;
      return sink.push(message);
    };
    if (pace === undefined && Symbol.iterator in source) {
      // Unpaced generated messages: a synchronous loop that awaits only when the sink asks to
      // saves several promises per message, a good part of the cost at --rate max.
      for (const message of source) {
        if (signal.aborted) break;
        const blocked = take(message);
        if (blocked !== undefined) await blocked;
      }
    } else {
      for await (const message of source) {
        const wait = pace?.() ?? 0;
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) break;
        await take(message);
      }
    }
  } catch (err) {
    failure = asError(err);
  }
  try {
    await sink.flush();
  } catch (err) {
    failure ??= asError(err);
  } finally {
    await producer.disconnect();
  }
  const summary = progress.finish();
  if (failure !== undefined) throw failure;
  return summary;
}
