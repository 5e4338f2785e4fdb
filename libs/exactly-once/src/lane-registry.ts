import type { Logger } from '@login-stream/logger';
import type { Admin, Producer } from 'kafkajs';
import { fencePartition } from './fencing';
import type { FencingOptions } from './fencing';
import { readOutputTopics } from './output-topics';
import type { OutputTopics } from './record-batch';
import type { CommittedPosition } from './stage-handler';

/** An input partition this instance owns: its transactional producer, its state, what it may write. */
export interface Lane<S> {
  readonly partition: number;
  readonly producer: Producer;
  readonly state: S;
  readonly outputs: OutputTopics;
  /** The group's committed offset read after fencing; the first batch must not start before it. */
  resumeFrom: string | undefined;
  /** The offset the lane's transactions commit: after its last batch, else where the group stood. */
  position: string;
  /** The last fetch of the partition reached its end. */
  caughtUp: boolean;
  lastInputAtMs: number;
  /** A tick of the lane is queued or running. */
  ticking: boolean;
  /** Runs `work` after whatever the lane is doing (a batch, a tick), so they never interleave. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

export interface LaneRegistryOptions<S> extends FencingOptions {
  readonly admin: Admin;
  readonly logger: Logger;
  /** For logs: which stage this is. */
  readonly name: string;
  readonly groupId: string;
  readonly outputTopics: readonly string[];
  readonly deadLetterTopic: string;
  readonly restore: (partitions: readonly number[], positions: readonly CommittedPosition[]) => Promise<S[]>;
  readonly clock: () => number;
  /** Told at once when preparing lanes failed, before any batch asks for them (input may be idle). */
  readonly onPrepareFailed: (partitions: readonly number[], err: unknown) => void;
}

/**
 * The lanes of the partitions this instance holds. A lane is prepared once per takeover:
 * fence the partition's transactional id, then read the group's committed offset (a former
 * owner may have committed after our group join fetched it), the output topics' limits, and
 * the partition's state. Preparing several partitions together restores them in one pass.
 */
export class LaneRegistry<S> {
  private readonly lanes = new Map<number, Promise<Lane<S>>>();
  private readonly ready = new Map<number, Lane<S>>();

  constructor(private readonly options: LaneRegistryOptions<S>) {}

  has(partition: number): boolean {
    return this.lanes.has(partition);
  }

  partitions(): number[] {
    return [...this.lanes.keys()];
  }

  /** The lanes prepared and not dropped since. */
  readyLanes(): Lane<S>[] {
    return [...this.ready.values()];
  }

  readyLane(partition: number): Lane<S> | undefined {
    return this.ready.get(partition);
  }

  /** The partition's lane, prepared now if it has none. Rejects when preparing it failed. */
  get(partition: number): Promise<Lane<S>> {
    if (!this.lanes.has(partition)) this.open([partition]);
    return this.lanes.get(partition) as Promise<Lane<S>>;
  }

  open(partitions: readonly number[]): void {
    const opening = this.prepare(partitions);
    opening.catch((err: unknown) => this.options.onPrepareFailed(partitions, err));
    partitions.forEach((partition, i) => {
      const lane = opening.then((lanes) => {
        if (this.lanes.get(partition) === lane) this.ready.set(partition, lanes[i]);
        return lanes[i];
      });
      lane.catch(() => undefined); // awaited by the partition's next batch, which handles the failure
      this.lanes.set(partition, lane);
    });
  }

  /** Forgets the lane (its producer is closed in the background); the next batch prepares a new one. */
  drop(partition: number): void {
    const lane = this.lanes.get(partition);
    if (lane === undefined) return;
    this.lanes.delete(partition);
    this.ready.delete(partition);
    lane.then((l) => l.producer.disconnect()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const lanes = [...this.lanes.values()];
    this.lanes.clear();
    this.ready.clear();
    await Promise.allSettled(lanes.map(async (lane) => (await lane).producer.disconnect()));
  }

  private async prepare(partitions: readonly number[]): Promise<Lane<S>[]> {
    const { admin, groupId, inputTopic, logger, name } = this.options;
    const fencing = await Promise.allSettled(partitions.map((p) => fencePartition(this.options, p)));
    const producers = fencing.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      const failed = fencing.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [inputTopic] });
      const committed = new Map((offsets?.partitions ?? []).map((o) => [o.partition, o]));
      const ends = new Map((await admin.fetchTopicOffsets(inputTopic)).map((o) => [o.partition, o]));
      const positions = partitions.map((p): CommittedPosition => {
        const c = committed.get(p);
        const known = c !== undefined && BigInt(c.offset) >= 0n;
        return { offset: known ? c.offset : undefined, metadata: known && c.metadata !== null && c.metadata !== '' ? c.metadata : undefined };
      });
      const outputs = await readOutputTopics(admin, this.options.outputTopics, this.options.deadLetterTopic);
      const states = await this.options.restore(partitions, positions);
      logger.info({ stage: name, partitions, maxBatchBytes: Object.fromEntries(outputs.maxBatchBytes) }, 'partitions ready');
      const now = this.options.clock();
      return producers.map((producer, i) => {
        const partition = partitions[i];
        const { offset } = positions[i];
        // With no committed offset the group starts at the earliest offset.
        const position = offset ?? ends.get(partition)?.low ?? '0';
        const high = ends.get(partition)?.high ?? '0';
        return {
          partition,
          producer,
          state: states[i],
          outputs,
          resumeFrom: offset,
          position,
          caughtUp: BigInt(high) <= BigInt(position),
          lastInputAtMs: now,
          ticking: false,
          exclusive: serialQueue(),
        };
      });
    } catch (err) {
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      throw err;
    }
  }
}
