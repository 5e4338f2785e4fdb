import { classifyFailure, LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import { commitBatch } from '@login-stream/exactly-once';
import { CompressionTypes } from 'kafkajs';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { keyPartitioner } from '@login-stream/kafka';
import type { SinkMessage } from './batching-sink';

export interface ResumableRunOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  /** runIdentity(): names the transactional id and the group that holds the run's progress. */
  readonly runId: string;
  readonly topic: string;
  readonly compression?: CompressionTypes;
}

/**
 * A run that can be continued after a crash, exactly once. Every batch is one transaction that
 * holds its messages and the run's new position (how many source items are done), committed as
 * the offset of a consumer group named after the run: either both are visible or neither. A new
 * session fences the old one first (the transactional id is the run's), which aborts whatever
 * it left open, then reads the position: the source is continued from there. No file on disk
 * records anything.
 */
export class ResumableRun {
  private producer: Producer | undefined;
  private committed = 0;
  /** A transaction failed with an unknown outcome: the next send starts a new session first. */
  private stale = false;

  private constructor(private readonly options: ResumableRunOptions) {}

  /** Fences any earlier session of the run and reads how far it got. */
  static async open(options: ResumableRunOptions): Promise<ResumableRun> {
    const run = new ResumableRun(options);
    await run.startSession();
    return run;
  }

  /** Source items already on the topic, committed. */
  get position(): number {
    return this.committed;
  }

  /**
   * Sends the next batch, the source items [position, position + sourceItems) less any skipped
   * among them, in one transaction with the new position. After a failure whose outcome is
   * unknown, a retry of the same batch first learns from Kafka whether it landed, and sends it
   * again only if it did not.
   */
  async send(messages: readonly SinkMessage[], sourceItems: number): Promise<void> {
    const target = this.committed + sourceItems;
    if (this.stale) {
      const before = this.committed;
      await this.startSession();
      if (this.committed === target) return; // the failed commit had landed
      if (this.committed !== before) {
        throw new LoginStreamError('PRODUCE_FAILED', `run ${this.options.runId} is at ${this.committed}, neither ${before} nor ${target}: another producer is writing this run`);
      }
    }
    const { topic, runId, compression, logger } = this.options;
    try {
      // The run's position is the offset of partition 0 for the run's group.
      const requests = messages.length > 0 ? [[{ topic, messages: [...messages] }]] : [];
      await commitBatch(this.producer as Producer, requests, { groupId: runId, topic, partition: 0, next: String(target) }, compression ?? CompressionTypes.None, logger);
    } catch (err) {
      this.stale = true;
      if (classifyFailure(err) === 'fenced') {
        throw new LoginStreamError('PRODUCE_FAILED', `another session of run ${this.options.runId} took over (was the same command started again?); this one stops`, { cause: err });
      }
      throw err;
    }
    this.committed = target;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }

  private async startSession(): Promise<void> {
    const { kafka, admin, runId, topic, logger } = this.options;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    const producer = kafka.producer({ transactionalId: runId, idempotent: true, maxInFlightRequests: 1, createPartitioner: keyPartitioner });
    try {
      await producer.connect();
      // kafkajs initializes the transactional id with the first transaction: this fences the
      // previous session and aborts the transaction it may have left open.
      await (await producer.transaction()).abort();
      const [progress] = await admin.fetchOffsets({ groupId: runId, topics: [topic] });
      const offset = Number(progress?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
      this.committed = Math.max(0, offset);
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    this.producer = producer;
    this.stale = false;
    logger.info({ runId, position: this.committed }, 'resumable run: session started');
  }
}
