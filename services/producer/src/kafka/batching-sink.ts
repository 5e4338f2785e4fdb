import { setTimeout as sleep } from 'node:timers/promises';
import { classifyFailure, LoginStreamError } from '@login-stream/errors';
import { recordBytes } from '@login-stream/kafka';
import type { OutageWindow } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';

export interface SinkMessage {
  readonly key: Buffer | null;
  readonly value: Buffer;
}

/**
 * Sends one batch and resolves once the broker acknowledged all of it. `sourceItems` is how many
 * source items the batch accounts for: its messages and the items skipped among them.
 */
export type SendBatch = (messages: SinkMessage[], sourceItems: number) => Promise<void>;

export interface BatchingSinkOptions {
  /** Messages per send. */
  readonly batchMessages: number;
  /**
   * Bytes per send, as the records are encoded (recordBytes). The broker limits a record batch
   * per partition to max.message.bytes (1 MB by default); staying under it for the whole send
   * keeps every partition's share under it too.
   */
  readonly batchBytes: number;
  /** Batches sent or queued to be; the push completing a batch waits while this many are outstanding. */
  readonly maxPendingBatches: number;
  /** A batch that is not full is sent after this long, so slow rates still flow. */
  readonly lingerMs: number;
  /**
   * Times a broker outage: a batch whose send fails transiently is sent again (the same
   * messages, so the idempotent producer's sequence numbers let the broker drop a copy it already
   * has) after a backoff, until the outage lasts too long.
   */
  readonly outage: OutageWindow;
  readonly logger: Logger;
  /** Once aborted (the run is stopping), a failed batch is not retried. */
  readonly signal?: AbortSignal;
}

export interface SinkCounts {
  readonly sent: number;
  readonly failed: number;
}

interface Batch {
  readonly messages: SinkMessage[];
  readonly sourceItems: number;
}

/**
 * Groups messages into batches and sends them one after another, in order: a user's logins
 * keep their order even when a send is retried. A push that completes a batch waits
 * (back-pressure) while `maxPendingBatches` are outstanding, so that many batches bound memory.
 * A transient failure (the broker is away) is retried; after a batch failed for good every later
 * one fails too and `push`/`flush` reject with the cause.
 */
export class BatchingSink {
  private batch: SinkMessage[] = [];
  private batchSize = 0;
  private batchItems = 0;
  private readonly pending: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private linger: NodeJS.Timeout | undefined;
  private failure: LoginStreamError | undefined;
  private sentCount = 0;
  private failedCount = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly options: BatchingSinkOptions,
  ) {}

  get counts(): SinkCounts {
    return { sent: this.sentCount, failed: this.failedCount };
  }

  /**
   * Adds a message. Returns a promise only when the caller must wait (a batch was dispatched, and
   * back-pressure may apply) or the sink has failed; otherwise undefined, so a fast source pays
   * for one promise per batch rather than one per message.
   */
  push(message: SinkMessage, bytes: number = recordBytes(message)): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.batch.push(message);
    this.batchItems++;
    this.batchSize += bytes;
    if (this.batch.length >= this.options.batchMessages || this.batchSize >= this.options.batchBytes) {
      this.dispatch();
      return this.drain();
    }
    this.lingerSoon();
    return undefined;
  }

  /** Accounts for a source item that is not sent (the caller said why), in its place in the order. */
  skip(): void {
    this.batchItems++;
    this.lingerSoon();
  }

  private lingerSoon(): void {
    if (this.linger === undefined) this.linger = setTimeout(() => this.dispatch(), this.options.lingerMs);
  }

  /** Sends what is buffered and waits for every acknowledgement. */
  async flush(): Promise<void> {
    this.dispatch();
    await this.tail;
    this.throwIfFailed();
  }

  private async drain(): Promise<void> {
    while (this.pending.length >= this.options.maxPendingBatches) await this.pending[0];
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private dispatch(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.batchItems === 0) return;
    const batch: Batch = { messages: this.batch, sourceItems: this.batchItems };
    this.batch = [];
    this.batchSize = 0;
    this.batchItems = 0;
    const done = this.tail.then(() => this.sendOne(batch));
    this.tail = done;
    this.pending.push(done);
    void done.finally(() => this.pending.splice(this.pending.indexOf(done), 1));
  }

  private async sendOne({ messages, sourceItems }: Batch): Promise<void> {
    if (this.failure !== undefined) {
      this.failedCount += messages.length;
      return;
    }
    for (;;) {
      try {
        await this.send(messages, sourceItems);
        this.sentCount += messages.length;
        this.options.outage.recovered();
        return;
      } catch (err) {
        const retryInMs = this.retryAfter(err, messages.length);
        if (retryInMs === undefined) {
          this.failedCount += messages.length;
          return;
        }
        await sleep(retryInMs, undefined, { signal: this.options.signal }).catch(() => undefined);
      }
    }
  }

  /** How long to wait before sending the batch again, or undefined once it failed for good. */
  private retryAfter(err: unknown, messages: number): number | undefined {
    const reason = err instanceof Error ? err.message : String(err);
    const fail = (error: LoginStreamError): undefined => {
      this.failure = error;
      return undefined;
    };
    if (classifyFailure(err) !== 'transient') {
      return fail(new LoginStreamError('PRODUCE_FAILED', `sending ${messages} messages failed: ${reason}`, { cause: err }));
    }
    if (this.options.signal?.aborted === true) {
      return fail(new LoginStreamError('PRODUCE_FAILED', `stopping while Kafka was unreachable; ${messages} messages were not sent: ${reason}`, { cause: err }));
    }
    const step = this.options.outage.failed(err);
    if ('giveUp' in step) return fail(step.giveUp);
    this.options.logger.warn({ err, messages, downMs: step.downMs, retryInMs: step.retryInMs }, 'sending a batch failed; retrying it');
    return step.retryInMs;
  }
}
