import { setTimeout as delay } from 'node:timers/promises';
import { classifyFailure, LoginStreamError } from '@login-stream/errors';
import type { FailureKind } from '@login-stream/errors';
import { OutageWindow } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { RejectionCode } from '@login-stream/schema';
import { notReady } from '@login-stream/telemetry';
import type { StageMetrics, StageReadiness } from '@login-stream/telemetry';
import { CompressionTypes } from 'kafkajs';
import type { Admin, Consumer, ConsumerRunConfig, EachBatchPayload, IMemberAssignment, Kafka } from 'kafkajs';
import { commitBatch } from './batch-transaction';
import { LaneRegistry } from './lane-registry';
import type { Lane } from './lane-registry';
import { buildRecordBatch, buildTickRequests } from './record-batch';
import type { RecordBatch } from './record-batch';
import type { StageHandler } from './stage-handler';

const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * The stage sizes every record by the max.message.bytes it read at takeover, so a broker that
 * still refuses records as too large has had a limit lowered since: STALE_TOPIC_LIMITS, which a
 * new lane, reading the limits again, retries. Any other failure is itself.
 */
function staleLimitsOr(err: unknown, partition: number): unknown {
  for (let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined; e !== undefined && e !== null; e = (e.originalError ?? e.cause) as typeof e) {
    if (TOO_LARGE.has(String(e.type))) {
      return new LoginStreamError('STALE_TOPIC_LIMITS', 'the broker refused records sized by the max.message.bytes read at takeover: a limit was lowered since', {
        cause: err,
        details: { partition },
      });
    }
  }
  return err;
}

/** What one committed batch wrote, for stats. */
export interface CommittedBatch {
  readonly partition: number;
  readonly outputs: ReadonlyMap<string, number>;
  readonly deadLetters: ReadonlyMap<RejectionCode, number>;
}

export interface StageOptions<S> {
  /** For logs: which stage of the service this is. */
  readonly name: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly groupId: string;
  readonly inputTopic: string;
  readonly inputPartitions: number;
  /** Every topic the handler writes to; their max.message.bytes bound what it may write. */
  readonly outputTopics: readonly string[];
  /** Where records that cannot be handled or written go, with their reasons. */
  readonly deadLetterTopic: string;
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  /**
   * How long a fetch may wait for `fetchMinBytes` to accumulate. Every fetch of data costs one
   * transaction per partition, and the broker's transaction coordinator is the shared bottleneck:
   * a stage whose latency matters less can wait and batch more.
   */
  readonly fetchMaxWaitMs: number;
  readonly fetchMinBytes: number;
  /** How the stage compresses what it writes. */
  readonly compression?: CompressionTypes;
  /** How long the stage rides out a broker it cannot reach (restarting with backoff) before giving up. */
  readonly outageTimeoutMs: number;
  readonly handler: StageHandler<S>;
  /** How often the handler's `tick` runs on each ready lane; ticks are off without it. */
  readonly tickIntervalMs?: number;
  /** Called for failures that must end the process (bugs, misconfiguration, an outage past its limit). */
  readonly onFatal: (err: unknown) => void;
  readonly onCommitted?: (batch: CommittedBatch) => void;
  /** Moved by every transaction, fetch and rebalance of the stage when set. */
  readonly metrics?: StageMetrics;
  readonly clock?: () => number;
}

/** What a batch or tick built for its transaction. */
interface BuiltWork {
  readonly built: RecordBatch;
  readonly metadata: string | undefined;
  readonly inputRecords: number;
  readonly lastEventTimeMs: number | undefined;
  committed(): void;
}

/**
 * Consume → transform → produce, exactly once, for one input topic and consumer group.
 *
 * Every batch of input partition p is one Kafka transaction on p's own producer
 * (transactional id `<prefix>-<topic>-<p>`) holding the outputs and the group offset. kafkajs
 * cannot fence zombies by group generation (no KIP-447), so the transactional id does it
 * (LaneRegistry). A record that cannot be handled or written is dead-lettered by itself
 * (buildRecordBatch); only infrastructure failures fail a batch, which is then retried from the
 * committed offset. When the broker is gone, the consumer is restarted with backoff until it is
 * back or `outageTimeoutMs` has passed.
 */
export class ExactlyOnceStage<S> {
  private readonly consumer: Consumer;
  private readonly lanes: LaneRegistry<S>;
  private readonly paused = new Set<number>();
  private readonly clock: () => number;
  private memberId: string | undefined;
  private assigned = new Set<number>();
  private readonly outage: OutageWindow;
  private restartTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  /** Partitions whose lane a failed tick dropped: with no batch coming, the next tick prepares them again. */
  private readonly reopen = new Set<number>();
  private stopping = false;
  /** A member of the group with an assignment in hand: from a join until a rebalance, crash or stop. */
  private joined = false;

  constructor(private readonly options: StageOptions<S>) {
    this.clock = options.clock ?? Date.now;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxWaitTimeInMs: options.fetchMaxWaitMs,
      minBytes: options.fetchMinBytes,
      // Every crash comes to onCrash, which alone decides whether and when to restart.
      retry: { restartOnFailure: async () => false },
    });
    this.lanes = new LaneRegistry({
      ...options,
      clock: this.clock,
      restore: (partitions, positions) => options.handler.restore(partitions, positions),
      // A fatal failure (an unreadable state record, a bad setting) is reported now; the rest is
      // retried by the partition's next batch, which finds the lane failed.
      onPrepareFailed: (partitions, err) => {
        if (this.stopping || classifyFailure(err) !== 'fatal') return;
        options.logger.error({ stage: options.name, partitions, err }, 'preparing partitions failed with an unrecoverable error');
        options.onFatal(err);
      },
    });
    this.outage = new OutageWindow({ limitMs: options.outageTimeoutMs, what: `stage ${options.name}`, clock: this.clock });
  }

  async start(): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onGroupJoin(payload.memberId, payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.onCrash(payload.error);
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.joined = false;
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    // Emitted for batches of transaction markers too, which eachBatch never sees; only after
    // eachBatch returned, so the batch's transaction (if any) has committed.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const lane = this.lanes.readyLane(payload.partition);
      if (lane !== undefined) lane.caughtUp = payload.offsetLag === '0';
      options.metrics?.lag(payload.topic, payload.partition, Math.max(0, Number(payload.offsetLag)));
    });
    await consumer.connect();
    await consumer.subscribe({ topic: options.inputTopic, fromBeginning: true });
    await consumer.run(this.runConfig());
    if (options.handler.tick !== undefined && options.tickIntervalMs !== undefined) {
      this.tickTimer = setInterval(() => this.tickAll(), options.tickIntervalMs);
    }
  }

  /**
   * Ready while a member of its group whose every assigned partition (but those fenced and
   * paused) has its lane prepared: fenced, offset read, state restored, producer connected.
   */
  readiness(): StageReadiness {
    const partitions = this.assigned.size;
    const { name, groupId } = this.options;
    if (this.stopping) return { ...notReady(`stage ${name} is stopping`), partitions };
    if (!this.joined) return { ...notReady(`stage ${name} is not in group ${groupId} (joining or rebalancing)`), partitions };
    const preparing = [...this.assigned].filter((p) => !this.paused.has(p) && this.lanes.readyLane(p) === undefined);
    if (preparing.length > 0) return { ...notReady(`stage ${name} is preparing partitions ${preparing.join(', ')}`), partitions };
    return { ready: true, partitions };
  }

  /** Finishes the batches in hand (their transactions included), leaves the group, closes producers. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.tickTimer);
    await this.consumer.disconnect();
    // A tick in flight finishes its transaction before its producer closes.
    await Promise.allSettled(this.lanes.readyLanes().map((lane) => lane.exclusive(async () => undefined)));
    await this.lanes.closeAll();
  }

  private runConfig(): ConsumerRunConfig {
    return {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.inputPartitions,
      eachBatch: (payload) => this.onBatch(payload),
    };
  }

  /**
   * kafkajs has stopped the consumer (it disconnects before telling). A transient cause (the
   * broker went away, a coordinator moved) restarts it after a backoff, the same whether kafkajs
   * called the error retriable or not, until the outage has lasted `outageTimeoutMs`.
   */
  private onCrash(err: unknown): void {
    if (this.stopping) return;
    const { logger, name, onFatal } = this.options;
    if (classifyFailure(err) !== 'transient') {
      logger.error({ stage: name, err }, 'consumer failed with an unrecoverable error');
      onFatal(err);
      return;
    }
    const step = this.outage.failed(err);
    if ('giveUp' in step) {
      onFatal(step.giveUp);
      return;
    }
    logger.warn({ stage: name, err, downMs: step.downMs, restartInMs: step.retryInMs }, 'consumer stopped by a transient failure; restarting');
    this.restartTimer = setTimeout(() => void this.restart(), step.retryInMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.consumer.connect();
      await this.consumer.run(this.runConfig());
    } catch (err) {
      // A failed join reaches onCrash through kafkajs; a failed connect lands here.
      this.onCrash(err);
    }
  }

  private onGroupJoin(memberId: string, assignment: IMemberAssignment): void {
    const { inputTopic, logger, name } = this.options;
    this.outage.recovered();
    const partitions = [...(assignment[inputTopic] ?? [])].sort((a, b) => a - b);
    // A partition held without interruption by this very member needs no new fencing or
    // restore; a new member id means we were out of the group and someone may have had it.
    const held = memberId === this.memberId ? this.assigned : new Set<number>();
    this.reopen.clear();
    for (const partition of this.lanes.partitions()) {
      if (!held.has(partition) || !partitions.includes(partition)) this.lanes.drop(partition);
    }
    if (this.paused.size > 0) {
      this.consumer.resume([{ topic: inputTopic, partitions: [...this.paused] }]);
      this.paused.clear();
    }
    const takenOver = partitions.filter((p) => !this.lanes.has(p));
    if (takenOver.length > 0) this.lanes.open(takenOver);
    this.memberId = memberId;
    this.assigned = new Set(partitions);
    this.joined = true;
    this.options.metrics?.assigned(inputTopic, partitions);
    logger.info({ stage: name, topic: inputTopic, partitions, takenOver }, 'partitions assigned');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale()) return;
    const { partition } = batch;
    const { logger, name } = this.options;
    let lane;
    try {
      lane = await this.heartbeatUntil(this.lanes.get(partition), () => payload.heartbeat());
    } catch (err) {
      if (this.onFailure(partition, err) !== 'fenced') throw err;
      return;
    }

    if (lane.resumeFrom !== undefined) {
      const resumeFrom = lane.resumeFrom;
      lane.resumeFrom = undefined;
      if (BigInt(batch.firstOffset() ?? resumeFrom) < BigInt(resumeFrom)) {
        // A former owner committed after our group join fetched the offsets: skip what it did.
        logger.info({ stage: name, partition, fetchedFrom: batch.firstOffset(), resumeFrom }, 'skipping input a former owner committed after the group join');
        this.consumer.seek({ topic: batch.topic, partition, offset: resumeFrom });
        return;
      }
    }

    const lastOffset = batch.lastOffset();
    try {
      await lane.exclusive(() => this.commitInput(lane, payload));
    } catch (err) {
      // Thrown back to kafkajs, which then fetches the batch again (a fenced partition is paused).
      if (this.onFailure(partition, err) !== 'fenced') throw err;
      return;
    }
    payload.resolveOffset(lastOffset);
    await payload.heartbeat();
  }

  /** Handles a batch and commits it; throws what failed. */
  private async commitInput(lane: Lane<S>, { batch }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    const nowMs = this.clock();
    const now = new Date(nowMs).toISOString();
    if (batch.messages.length > 0) lane.lastInputAtMs = nowMs;
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await this.commitWork(lane, next, () => {
      const work = this.options.handler.batch(lane.state, { partition, now });
      const built = buildRecordBatch(work, batch.messages, { topic: this.options.inputTopic, partition, failedAt: now }, lane.outputs);
      return { built, metadata: work.checkpoint?.(next), inputRecords: batch.messages.length, lastEventTimeMs: work.lastEventTimeMs?.(), committed: () => work.committed() };
    });
  }

  /**
   * Commits what `build` made (nothing when it returns undefined) in one transaction on the
   * lane's producer, with the group offset `next` and the checkpoint as its metadata; then the
   * work and the lane learn it committed. Throws what failed.
   */
  private async commitWork(lane: Lane<S>, next: string, build: () => BuiltWork | undefined): Promise<void> {
    const { groupId, inputTopic, logger, metrics } = this.options;
    const { partition } = lane;
    const started = performance.now();
    let made: BuiltWork | undefined;
    try {
      made = build();
      if (made === undefined) return;
      const { built, metadata } = made;
      await commitBatch(lane.producer, built.requests, { groupId, topic: inputTopic, partition, next, ...(metadata !== undefined && { metadata }) }, this.options.compression ?? CompressionTypes.None, logger);
    } catch (err) {
      if (made !== undefined) metrics?.aborted((performance.now() - started) / 1000);
      throw staleLimitsOr(err, partition);
    }
    lane.position = next;
    made.committed();
    this.outage.recovered();
    const { outputs, deadLetters } = made.built;
    metrics?.committed({ inputTopic, inputRecords: made.inputRecords, outputs, deadLetters, seconds: (performance.now() - started) / 1000, ...(made.lastEventTimeMs !== undefined && { lastEventTimeMs: made.lastEventTimeMs }) });
    this.options.onCommitted?.({ partition, outputs, deadLetters });
  }

  private tickAll(): void {
    if (this.stopping) return;
    for (const partition of this.reopen) {
      this.reopen.delete(partition);
      if (!this.assigned.has(partition) || this.paused.has(partition)) continue;
      // A fatal failure is reported by onPrepareFailed; a transient one is tried again next tick.
      this.lanes.get(partition).catch((err: unknown) => {
        if (this.stopping || classifyFailure(err) !== 'transient') return;
        this.lanes.drop(partition);
        this.reopen.add(partition);
      });
    }
    for (const lane of this.lanes.readyLanes()) {
      if (lane.ticking === true) continue;
      lane.ticking = true;
      void lane
        .exclusive(() => this.tick(lane))
        .catch((err: unknown) => {
          if (this.stopping || this.lanes.readyLane(lane.partition) !== lane) return;
          // No batch may come to prepare the lane again (the input may be idle): the next tick does.
          if (this.onFailure(lane.partition, err) === 'transient') this.reopen.add(lane.partition);
        })
        .finally(() => {
          lane.ticking = false;
        });
    }
  }

  /** One tick of a lane: the handler's writes, in a transaction that commits the same offset. */
  private async tick(lane: Lane<S>): Promise<void> {
    const { handler } = this.options;
    if (this.stopping || this.lanes.readyLane(lane.partition) !== lane) return;
    await this.commitWork(lane, lane.position, () => {
      const work = handler.tick?.(lane.state, { partition: lane.partition, nowMs: this.clock(), caughtUp: lane.caughtUp, lastInputAtMs: lane.lastInputAtMs, position: lane.position });
      return work === undefined ? undefined : { built: buildTickRequests(work.outputs, lane.outputs), metadata: work.checkpoint, inputRecords: 0, lastEventTimeMs: undefined, committed: () => work.committed() };
    });
  }

  /**
   * Any failure of a batch or tick drops the lane: if a commit failed, its outcome is unknown,
   * and the partition's next lane re-fences, re-reads the committed offset and restores state,
   * which is right whether the commit landed or not. Returns what the failure was.
   */
  private onFailure(partition: number, err: unknown): FailureKind {
    const { logger, name, inputTopic } = this.options;
    this.lanes.drop(partition);
    const kind = classifyFailure(err);
    switch (kind) {
      case 'fenced':
        // Another instance owns the partition now; leave it alone until the group reassigns.
        logger.warn({ stage: name, partition, err }, 'partition fenced by another instance; paused until the next rebalance');
        this.consumer.pause([{ topic: inputTopic, partitions: [partition] }]);
        this.paused.add(partition);
        break;
      case 'transient':
        logger.warn({ stage: name, partition, err }, 'batch failed; retrying from the last committed offset');
        break;
      case 'fatal':
        logger.error({ stage: name, partition, err }, 'batch failed with an unrecoverable error');
        this.options.onFatal(err);
        break;
    }
    return kind;
  }

  /** Keeps the group membership alive while a lane is being prepared (restores can take a while). */
  private async heartbeatUntil<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
    const interval = Math.max(500, Math.floor(this.options.sessionTimeoutMs / 5));
    let done = false;
    const finished = work.finally(() => {
      done = true;
    });
    while (!done) {
      // Cancelled once the race is decided, so no timer outlives the wait.
      const tick = new AbortController();
      await Promise.race([finished.catch(() => undefined), delay(interval, undefined, { signal: tick.signal }).catch(() => undefined)]);
      tick.abort();
      if (!done) await heartbeat();
    }
    return finished;
  }
}
