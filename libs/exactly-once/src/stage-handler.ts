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
  /** The batch's transaction committed: apply its working state to the partition's. */
  committed(): void;
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
  restore(partitions: readonly number[]): Promise<S[]>;
  batch(state: S, context: BatchContext): BatchHandler;
}
