import { setTimeout as sleep } from 'node:timers/promises';
import { OutageWindow, RECORD_BATCH_OVERHEAD_BYTES, recordBytes } from '@login-stream/kafka';
import type { TopicSpec } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { CompressionTypes, Kafka } from 'kafkajs';
import { BatchingSink } from '../kafka/batching-sink';
import type { SendBatch } from '../kafka/batching-sink';
import { connectProducer, connectResumableRun } from '../kafka/connect-producer';
import type { OutboundMessage } from '../message';
import { createPacer } from './pacer';
import type { ProducerStatus } from './producer-status';
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
  /** Set: a resumable run (runIdentity()); the source's first items that an earlier session committed are skipped. */
  readonly resumeRunId?: string;
  /** The live progress line goes here when set (stderr on a terminal). */
  readonly terminal?: Terminal;
  /** Told of the connection and of every send, for /readyz and the metrics. */
  readonly status?: ProducerStatus;
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
  const { logger, signal, topic, compression, status } = context;
  const connect = { logger, brokers: context.brokers, timeoutMs: context.connectTimeoutMs };
  let send: SendBatch;
  let disconnect: () => Promise<void>;
  let maxMessageBytes: number;
  let skip = 0;
  if (context.resumeRunId === undefined) {
    const connected = await connectProducer(context.kafka, topic, connect);
    const { producer } = connected;
    maxMessageBytes = connected.maxMessageBytes;
    // A batch of nothing but skipped items has nothing to send.
    send = async (messages) => void (messages.length > 0 && (await producer.send({ topic: topic.name, acks: -1, messages, ...(compression !== undefined && { compression }) })));
    disconnect = () => producer.disconnect();
  } else {
    const { run, close, ...connected } = await connectResumableRun(context.kafka, topic, context.resumeRunId, compression, connect);
    maxMessageBytes = connected.maxMessageBytes;
    skip = run.position;
    logger.info({ runId: context.resumeRunId, skip }, skip > 0 ? 'resuming: skipping what earlier sessions committed' : 'resumable run from the start');
    send = (messages, sourceItems) => run.send(messages, sourceItems);
    disconnect = close;
  }
  status?.connected();
  const sendAndTell: SendBatch = async (messages, sourceItems) => {
    try {
      await send(messages, sourceItems);
    } catch (err) {
      status?.sendFailed(err);
      throw err;
    }
    status?.sent(topic.name, messages.length);
  };
  const sink = new BatchingSink(sendAndTell, {
    batchMessages: settings.batchMessages,
    // A send must fit the topic's record batch limit too, when it is below the usual bound.
    batchBytes: Math.min(BATCH_BYTES, maxMessageBytes - RECORD_BATCH_OVERHEAD_BYTES),
    maxPendingBatches: MAX_PENDING_BATCHES,
    lingerMs: LINGER_MS,
    outage: new OutageWindow({ limitMs: context.outageTimeoutMs, what: 'the producer' }),
    logger,
    signal,
  });
  let malformed = 0;
  let tooLarge = 0;
  const progress = startProgress(() => ({ ...sink.counts, malformed, tooLarge }), { logger, terminal: context.terminal });
  const pace = Number.isFinite(settings.rate) ? createPacer(settings.rate) : undefined;
  logger.info({ topic: topic.name, rate: Number.isFinite(settings.rate) ? settings.rate : 'max', batchMessages: settings.batchMessages }, 'producing');

  let failure: Error | undefined;
  try {
    // The source position of the next message: what earlier sessions committed, then what this one takes.
    let item = skip;
    const take = (message: OutboundMessage): Promise<void> | undefined => {
      item++;
      if (message.malformed) malformed++;
      const bytes = recordBytes(message);
      if (RECORD_BATCH_OVERHEAD_BYTES + bytes > maxMessageBytes) {
        // The broker would refuse it, and the whole batch with it: this one item is left out, loudly.
        tooLarge++;
        status?.skipped('too_large');
        logger.warn({ item: item - 1, bytes: RECORD_BATCH_OVERHEAD_BYTES + bytes, maxMessageBytes, topic: topic.name }, 'message larger than the topic takes (max.message.bytes); not sent');
        sink.skip();
        return undefined;
      }
      return sink.push(message, bytes);
    };
    if (pace === undefined && Symbol.iterator in source) {
      // Unpaced generated messages: a synchronous loop that awaits only when the sink asks to
      // saves several promises per message, a good part of the cost at --rate max.
      for (const message of source) {
        if (skip > 0) {
          skip--;
          continue;
        }
        if (signal.aborted) break;
        const blocked = take(message);
        if (blocked !== undefined) await blocked;
      }
    } else {
      for await (const message of source) {
        if (skip > 0) {
          skip--;
          continue;
        }
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
    status?.finished();
    await disconnect();
  }
  const summary = progress.finish();
  if (failure !== undefined) throw failure;
  return summary;
}
