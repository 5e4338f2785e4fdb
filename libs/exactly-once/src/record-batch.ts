import { LoginStreamError } from '@login-stream/errors';
import type { Rejection, RejectionCode } from '@login-stream/schema';
import type { KafkaMessage, Message, TopicMessages } from 'kafkajs';
import { deadLetterRecord } from './dead-letter-record';
import type { DeadLetterSource } from './dead-letter-record';
import { RECORD_BATCH_OVERHEAD_BYTES, recordBytes } from '@login-stream/kafka';
import type { BatchHandler, OutputRecord, RecordOutcome } from './stage-handler';

/**
 * A produce request carries at most this much: kafkajs has no request size bound of its own,
 * and smaller requests keep a transaction's sends flowing.
 */
export const MAX_REQUEST_BYTES = 960 * 1024;

/** What the broker lets the stage write, as read from it. */
export interface OutputTopics {
  /** max.message.bytes of each output topic: the bound of one record batch. */
  readonly maxBatchBytes: ReadonlyMap<string, number>;
  readonly deadLetterTopic: string;
  readonly deadLetterPartitions: number;
}

export interface RecordBatch {
  /** The batch's records as produce requests, in order; each partition's records keep their input order. */
  readonly requests: readonly TopicMessages[][];
  readonly outputs: ReadonlyMap<string, number>;
  readonly deadLetters: ReadonlyMap<RejectionCode, number>;
}

/** Bounded, so a long stack or message cannot bloat the header. */
const MAX_ERROR_TEXT = 500;

function processingError(err: unknown): Rejection {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: 'PROCESSING_ERROR', message: `handling this record threw ${text.slice(0, MAX_ERROR_TEXT)}` };
}

/** Records grouped into produce requests of at most `maxBytes` (a larger record goes alone). */
class Requests {
  readonly requests: TopicMessages[][] = [];
  private current = new Map<string, Message[]>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  add(topic: string, message: Message, bytes: number): void {
    if (this.bytes > 0 && this.bytes + bytes > this.maxBytes) this.flush();
    const messages = this.current.get(topic);
    if (messages === undefined) this.current.set(topic, [message]);
    else messages.push(message);
    this.bytes += bytes;
  }

  flush(): void {
    if (this.current.size === 0) return;
    this.requests.push([...this.current].map(([topic, messages]) => ({ topic, messages })));
    this.current = new Map();
    this.bytes = 0;
  }
}

function count<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function limitsOf(topics: OutputTopics): { limitOf: (topic: string) => number; requests: Requests } {
  const limitOf = (topic: string): number => {
    const limit = topics.maxBatchBytes.get(topic);
    if (limit === undefined) throw new LoginStreamError('UNEXPECTED', `the stage has no max.message.bytes for ${topic}: not one of its output topics`);
    return limit;
  };
  let requestBound = MAX_REQUEST_BYTES;
  for (const limit of topics.maxBatchBytes.values()) requestBound = Math.min(requestBound, limit - RECORD_BATCH_OVERHEAD_BYTES);
  return { limitOf, requests: new Requests(requestBound) };
}

/**
 * Records a handler writes for a batch or a tick as a whole (not for one input record): nothing
 * to dead-letter them with, so one over its topic's limit fails the work; handlers keep them
 * well under it.
 */
function addOwnRecords(records: readonly OutputRecord[], limitOf: (topic: string) => number, requests: Requests, outputs: Map<string, number>): void {
  for (const record of records) {
    const bytes = recordBytes(record);
    const limit = limitOf(record.topic);
    if (RECORD_BATCH_OVERHEAD_BYTES + bytes > limit) {
      throw new LoginStreamError('UNEXPECTED', `a ${record.topic} record takes ${RECORD_BATCH_OVERHEAD_BYTES + bytes} bytes, over that topic's max.message.bytes ${limit}`, {
        details: { topic: record.topic, bytes: RECORD_BATCH_OVERHEAD_BYTES + bytes, limit },
      });
    }
    requests.add(record.topic, record, bytes);
    count(outputs, record.topic);
  }
}

/** A tick's records as produce requests. */
export function buildTickRequests(records: readonly OutputRecord[], topics: OutputTopics): RecordBatch {
  const { limitOf, requests } = limitsOf(topics);
  const outputs = new Map<string, number>();
  addOwnRecords(records, limitOf, requests, outputs);
  requests.flush();
  return { requests: requests.requests, outputs, deadLetters: new Map() };
}

/**
 * Runs an input batch through the handler a record at a time. Whatever is wrong with one
 * record stays with it: a rejection, a throw (PROCESSING_ERROR) or an output over its topic's
 * max.message.bytes (RECORD_TOO_LARGE) sends that record, and only it, to the DLQ (p mod the DLQ's
 * partitions, in input order), and the batch goes on. The records come back as produce requests
 * that no record batch of the broker's can exceed; the handler's `finish` records come last.
 */
export function buildRecordBatch(handler: BatchHandler, messages: readonly KafkaMessage[], source: DeadLetterSource, topics: OutputTopics): RecordBatch {
  const { limitOf, requests } = limitsOf(topics);
  const deadLetterLimit = limitOf(topics.deadLetterTopic);
  const deadLetterPartition = source.partition % topics.deadLetterPartitions;
  const outputs = new Map<string, number>();
  const deadLetters = new Map<RejectionCode, number>();
  const sizes: number[] = [];

  const deadLetter = (message: KafkaMessage, rejections: readonly Rejection[]): void => {
    const record = { ...deadLetterRecord(message, rejections, source, deadLetterLimit), partition: deadLetterPartition };
    requests.add(topics.deadLetterTopic, record, recordBytes(record));
    count(outputs, topics.deadLetterTopic);
    count(deadLetters, rejections[0].code);
  };

  for (const message of messages) {
    let outcome: RecordOutcome;
    try {
      outcome = handler.record(message);
    } catch (err) {
      outcome = { rejections: [processingError(err)] };
    }
    if ('rejections' in outcome) {
      deadLetter(message, outcome.rejections);
      continue;
    }
    const records: readonly OutputRecord[] = outcome.outputs;
    let tooLarge: Rejection | undefined;
    sizes.length = 0;
    for (const record of records) {
      const bytes = recordBytes(record);
      const limit = limitOf(record.topic);
      if (RECORD_BATCH_OVERHEAD_BYTES + bytes > limit) {
        tooLarge = {
          code: 'RECORD_TOO_LARGE',
          message: `its ${record.topic} record would take ${RECORD_BATCH_OVERHEAD_BYTES + bytes} bytes, over that topic's max.message.bytes ${limit}`,
        };
        break;
      }
      sizes.push(bytes);
    }
    if (tooLarge !== undefined) {
      deadLetter(message, [tooLarge]);
      continue;
    }
    outcome.accept?.();
    for (let i = 0; i < records.length; i++) {
      // kafkajs reads a message's key, value, headers, partition and timestamp, nothing else.
      requests.add(records[i].topic, records[i], sizes[i]);
      count(outputs, records[i].topic);
    }
  }
  addOwnRecords(handler.finish?.() ?? [], limitOf, requests, outputs);
  requests.flush();
  return { requests: requests.requests, outputs, deadLetters };
}
