import type { Rejection } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';

/** A record bound for one of the stage's output topics. */
export interface OutputRecord extends Message {
  readonly topic: string;
}

/**
 * What one input record turns into: its output records, or the reasons it is dead-lettered.
 * `accept` applies the record's changes to the batch's working state; the stage calls it only
 * when the outputs are taken (each fits its topic), so a record that is dead-lettered instead
 * leaves no trace.
 */
export type RecordOutcome =
  | { readonly outputs: readonly OutputRecord[]; readonly accept?: () => void }
  | { readonly rejections: readonly Rejection[] };

/** One input batch of one partition, handled a record at a time. */
export interface BatchHandler {
  /**
   * Pure but for the batch's working state. A throw is about this record alone: the stage
   * dead-letters it as PROCESSING_ERROR and goes on with the next.
   */
  record(message: KafkaMessage): RecordOutcome;
  /** What the batch as a whole writes, after its records' outputs, in the same transaction. */
  finish?(): readonly OutputRecord[];
  /**
   * Stored with the batch's offset as the group's offset metadata (at most the broker's
   * offset.metadata.max.bytes, 4096 by default), so it commits or not with the batch, and
   * handed to `restore` by the partition's next owner. `next` is the offset it commits.
   */
  checkpoint?(next: string): string;
  /** The batch's transaction committed: apply its working state to the partition's. */
  committed(): void;
  /** The event time of the last record it handled, for the event-time lag metric; undefined when none had one. */
  lastEventTimeMs?(): number | undefined;
}

/** What a partition's lane knows between batches, for a tick. */
export interface TickContext {
  readonly partition: number;
  readonly nowMs: number;
  /** The last fetch reached the end of the partition (transaction markers included). */
  readonly caughtUp: boolean;
  /** When the partition last delivered records, or when this instance took it over. */
  readonly lastInputAtMs: number;
  /** The offset the tick's transaction commits (again). */
  readonly position: string;
}

/** What a tick writes: a transaction of its own that keeps the group offset where it is. */
export interface TickWork {
  readonly outputs: readonly OutputRecord[];
  readonly checkpoint?: string;
  committed(): void;
}

/** Where the group stands on a partition when it is taken over. */
export interface CommittedPosition {
  /** The committed offset; undefined when the group has none for the partition. */
  readonly offset: string | undefined;
  /** The checkpoint committed with it, if the handler wrote one. */
  readonly metadata: string | undefined;
}

/** When the batch is handled; the same for every record of it. */
export interface BatchContext {
  readonly partition: number;
  /** ISO-8601. */
  readonly now: string;
}

/** The transformation a stage runs, with `S` the local state of one input partition. */
export interface StageHandler<S> {
  /**
   * Builds the state of partitions this instance just took over. Runs after their producers
   * fenced every former owner, so what is read reflects all committed work and nothing else.
   */
  restore(partitions: readonly number[], positions: readonly CommittedPosition[]): Promise<S[]>;
  batch(state: S, context: BatchContext): BatchHandler;
  /**
   * Called every `tickIntervalMs` for each partition whose lane is ready, never during one of
   * its batches: lets a handler write without input (close windows of an idle partition).
   * Undefined: nothing to write. A throw is handled as a failed batch of the partition.
   */
  tick?(state: S, context: TickContext): TickWork | undefined;
}
