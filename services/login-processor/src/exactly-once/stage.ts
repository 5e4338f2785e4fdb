import { setTimeout as delay } from 'node:timers/promises';
import { classifyFailure } from '@login-stream/errors';
import { keyPartitioner } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { Admin, Consumer, EachBatchPayload, IMemberAssignment, Kafka, KafkaMessage, Producer, TopicMessages } from 'kafkajs';
import { retryWhileConcurrent } from './concurrent-transactions';
import { chunkTopicMessages } from './send-chunks';

/** What one input batch turns into. */
export interface StageOutput {
  readonly topicMessages: TopicMessages[];
  /** Applies the batch's changes to local state; called only after its transaction committed. */
  readonly committed: () => void;
}

/** The transformation a stage runs, with `S` the local state of one input partition. */
export interface StageHandler<S> {
  /**
   * Builds the state of partitions this instance just took over. Runs after their producers
   * fenced every former owner, so what is read reflects all committed work and nothing else.
   */
  restore(partitions: readonly number[]): Promise<S[]>;
  /** Pure with respect to `state`: changes go into the returned output until `committed()`. */
  process(partition: number, messages: readonly KafkaMessage[], state: S): StageOutput;
}

export interface StageOptions<S> {
  /** For logs: which stage of the processor this is. */
  readonly name: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly groupId: string;
  readonly inputTopic: string;
  readonly inputPartitions: number;
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
  readonly handler: StageHandler<S>;
  /** Called for failures that must end the process (bugs, misconfiguration). */
  readonly onFatal: (err: unknown) => void;
}

/** An input partition this instance owns: its transactional producer and local state. */
interface Lane<S> {
  readonly producer: Producer;
  readonly state: S;
  /** The group's committed offset read after fencing; the first batch must not start before it. */
  resumeFrom: string | undefined;
}

// Backoff for AddPartitionsToTxn answered CONCURRENT_TRANSACTIONS right after the previous
// commit; kafkajs' default 300 ms first retry would stall every partition after each batch.
const PRODUCER_RETRY = { initialRetryTime: 5, maxRetryTime: 2_000, retries: 12 };

/**
 * Consume → transform → produce, exactly once, for one input topic and consumer group.
 *
 * Every batch of input partition p is one Kafka transaction on p's own producer
 * (transactional id `<prefix>-<topic>-<p>`) holding the outputs and the group offset. kafkajs
 * cannot fence zombies by group generation (no KIP-447), so the transactional id does it:
 * whoever takes p over initializes that id first, which aborts or completes the previous
 * owner's open transaction and rejects every later one of it. The new owner then re-reads the
 * committed offset, since it may have moved after the group join, and only then restores state.
 */
export class ExactlyOnceStage<S> {
  private readonly consumer: Consumer;
  private readonly lanes = new Map<number, Promise<Lane<S>>>();
  private readonly paused = new Set<number>();
  private memberId: string | undefined;
  private assigned = new Set<number>();

  constructor(private readonly options: StageOptions<S>) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxWaitTimeInMs: options.fetchMaxWaitMs,
      minBytes: options.fetchMinBytes,
    });
  }

  async start(): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onGroupJoin(payload.memberId, payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) options.onFatal(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: options.inputTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.inputPartitions,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Finishes the batches in hand (their transactions included), leaves the group, closes producers. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    const lanes = [...this.lanes.values()];
    this.lanes.clear();
    await Promise.allSettled(lanes.map(async (lane) => (await lane).producer.disconnect()));
  }

  private onGroupJoin(memberId: string, assignment: IMemberAssignment): void {
    const { inputTopic, logger, name } = this.options;
    const partitions = [...(assignment[inputTopic] ?? [])].sort((a, b) => a - b);
    // A partition held without interruption by this very member needs no new fencing or
    // restore; a new member id means we were out of the group and someone may have had it.
    const held = memberId === this.memberId ? this.assigned : new Set<number>();
    for (const partition of [...this.lanes.keys()]) {
      if (!held.has(partition) || !partitions.includes(partition)) this.dropLane(partition);
    }
    if (this.paused.size > 0) {
      this.consumer.resume([{ topic: inputTopic, partitions: [...this.paused] }]);
      this.paused.clear();
    }
    const takenOver = partitions.filter((p) => !this.lanes.has(p));
    if (takenOver.length > 0) this.openLanes(takenOver);
    this.memberId = memberId;
    this.assigned = new Set(partitions);
    logger.info({ stage: name, topic: inputTopic, partitions, takenOver }, 'partitions assigned');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale()) return;
    const { partition } = batch;
    let lane: Lane<S>;
    try {
      lane = await this.laneFor(partition, () => payload.heartbeat());
    } catch (err) {
      return this.onFailure(partition, err);
    }

    if (lane.resumeFrom !== undefined) {
      const resumeFrom = lane.resumeFrom;
      lane.resumeFrom = undefined;
      if (BigInt(batch.firstOffset() ?? resumeFrom) < BigInt(resumeFrom)) {
        // A former owner committed after our group join fetched the offsets: skip what it did.
        this.options.logger.info(
          { stage: this.options.name, partition, fetchedFrom: batch.firstOffset(), resumeFrom },
          'skipping input a former owner committed after the group join',
        );
        this.consumer.seek({ topic: batch.topic, partition, offset: resumeFrom });
        return;
      }
    }

    const lastOffset = batch.lastOffset();
    try {
      const output = this.options.handler.process(partition, batch.messages, lane.state);
      await this.commitBatch(lane.producer, partition, output.topicMessages, (BigInt(lastOffset) + 1n).toString());
      output.committed();
    } catch (err) {
      return this.onFailure(partition, err);
    }
    payload.resolveOffset(lastOffset);
    await payload.heartbeat();
  }

  private async commitBatch(producer: Producer, partition: number, topicMessages: TopicMessages[], nextOffset: string): Promise<void> {
    const { groupId, inputTopic } = this.options;
    const transaction = await producer.transaction();
    try {
      const sendRecords = async () => {
        for (const chunk of chunkTopicMessages(topicMessages)) await transaction.sendBatch({ topicMessages: chunk, acks: -1 });
      };
      const sendOffsets = () =>
        retryWhileConcurrent(() =>
          transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: inputTopic, partitions: [{ partition, offset: nextOffset }] }] }),
        );
      // The records (AddPartitionsToTxn, Produce) and the offsets (AddOffsetsToTxn, TxnOffsetCommit)
      // are independent until the commit: sending them side by side saves two round trips of the
      // five. Both settle before an abort, so no request of this transaction is left in flight.
      const sent = await Promise.allSettled([sendRecords(), sendOffsets()]);
      const failed = sent.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    } catch (err) {
      // Best effort: the lane is dropped anyway, and fencing by the next producer aborts it too.
      await transaction.abort().catch((abortErr: unknown) => this.options.logger.debug({ err: abortErr, partition }, 'abort after a failed batch failed too'));
      throw err;
    }
    await transaction.commit();
  }

  /**
   * Any failure drops the lane: if a commit failed, its outcome is unknown, and the next batch
   * of the partition re-fences, re-reads the committed offset and restores state, which is
   * right whether the commit landed or not.
   */
  private onFailure(partition: number, err: unknown): void {
    const { logger, name, inputTopic } = this.options;
    this.dropLane(partition);
    const kind = classifyFailure(err);
    switch (kind) {
      case 'fenced':
        // Another instance owns the partition now; leave it alone until the group reassigns.
        logger.warn({ stage: name, partition, err }, 'partition fenced by another instance; paused until the next rebalance');
        this.consumer.pause([{ topic: inputTopic, partitions: [partition] }]);
        this.paused.add(partition);
        return;
      case 'transient':
        logger.warn({ stage: name, partition, err }, 'batch failed; retrying from the last committed offset');
        throw err;
      case 'fatal':
        logger.error({ stage: name, partition, err }, 'batch failed with an unrecoverable error');
        this.options.onFatal(err);
        throw err;
    }
  }

  private laneFor(partition: number, heartbeat: () => Promise<void>): Promise<Lane<S>> {
    if (!this.lanes.has(partition)) this.openLanes([partition]);
    return this.heartbeatUntil(this.lanes.get(partition) as Promise<Lane<S>>, heartbeat);
  }

  /** Keeps the group membership alive while a lane is being prepared (restores can take a while). */
  private async heartbeatUntil<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
    const interval = Math.max(500, Math.floor(this.options.sessionTimeoutMs / 5));
    let done = false;
    const finished = work.finally(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([finished.catch(() => undefined), delay(interval)]);
      if (!done) await heartbeat();
    }
    return finished;
  }

  /** Prepares the lanes of several partitions together, so one pass over the state topic restores them all. */
  private openLanes(partitions: readonly number[]): void {
    const opening = this.prepareLanes(partitions);
    partitions.forEach((partition, i) => {
      const lane = opening.then((lanes) => lanes[i]);
      lane.catch(() => undefined); // awaited by the partition's next batch, which handles the failure
      this.lanes.set(partition, lane);
    });
  }

  private async prepareLanes(partitions: readonly number[]): Promise<Lane<S>[]> {
    const { admin, groupId, inputTopic, handler, logger, name } = this.options;
    const fencing = await Promise.allSettled(partitions.map((p) => this.fence(p)));
    const producers = fencing.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      const failed = fencing.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [inputTopic] });
      const committed = new Map((offsets?.partitions ?? []).map((o) => [o.partition, o.offset]));
      const states = await handler.restore(partitions);
      logger.info({ stage: name, partitions }, 'partitions ready');
      return producers.map((producer, i) => {
        const offset = committed.get(partitions[i]);
        return { producer, state: states[i], resumeFrom: offset !== undefined && BigInt(offset) >= 0n ? offset : undefined };
      });
    } catch (err) {
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      throw err;
    }
  }

  /** Initializes the partition's transactional id: from here on, no former owner can commit. */
  private async fence(partition: number): Promise<Producer> {
    const { kafka, transactionalIdPrefix, inputTopic, transactionTimeoutMs } = this.options;
    const producer = kafka.producer({
      transactionalId: `${transactionalIdPrefix}-${inputTopic}-${partition}`,
      transactionTimeout: transactionTimeoutMs,
      // Records and offsets of a transaction travel side by side (commitBatch); the records' own
      // requests are still sent one after the other.
      maxInFlightRequests: 2,
      retry: PRODUCER_RETRY,
      // murmur2 as in the Java client: processed-logins partitions by user_id like any other client would.
      createPartitioner: keyPartitioner,
    });
    try {
      await producer.connect();
      // kafkajs sends InitProducerId with the first transaction; an empty one sends nothing else.
      await (await producer.transaction()).abort();
      return producer;
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private dropLane(partition: number): void {
    const lane = this.lanes.get(partition);
    if (lane === undefined) return;
    this.lanes.delete(partition);
    lane.then((l) => l.producer.disconnect()).catch(() => undefined);
  }
}
