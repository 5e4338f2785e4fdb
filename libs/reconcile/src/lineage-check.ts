import { DEAD_LETTER_HEADERS, headerText, LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import type { IHeaders } from 'kafkajs';
import { OffsetTally } from './offset-tally';

/** Where one input partition stood when the check began. */
export interface InputPartition {
  readonly partition: number;
  /** Its earliest offset still on the broker. */
  readonly low: number;
  /** The processor's committed offset: every input offset before it has committed its output. */
  readonly committed: number;
  readonly high: number;
}

export interface InputPartitionReport extends InputPartition {
  /** Offsets [low, committed) checked. */
  readonly checked: number;
  readonly missing: number;
  readonly duplicated: number;
  /** Offsets [committed, high): not yet committed by the processor, so not checked. */
  readonly inFlight: number;
  readonly missingOffsets: readonly number[];
  readonly duplicatedOffsets: readonly number[];
}

export interface ProcessorReport {
  /** Nothing missing or duplicated up to the processor's committed offsets. */
  readonly ok: boolean;
  readonly partitions: readonly InputPartitionReport[];
  readonly checked: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly inFlight: number;
  /** Records read from processed-logins, and dead letters whose source is the input topic. */
  readonly processed: number;
  readonly deadLettered: number;
  /** processed-logins records without a readable lineage header: written by something else. */
  readonly unattributed: number;
}

/**
 * Every input offset of the checked range must appear exactly once in processed-logins (its
 * lineage header) or the dead-letter topic (its source headers). Pure: fed with records.
 */
export class LineageCheck {
  private readonly tallies = new Map<number, OffsetTally>();
  private processed = 0;
  private deadLettered = 0;
  private unattributed = 0;

  constructor(
    private readonly inputTopic: string,
    private readonly partitions: readonly InputPartition[],
  ) {
    for (const p of partitions) this.tallies.set(p.partition, new OffsetTally(p.low, Math.max(p.low, p.committed)));
  }

  addProcessed(headers: IHeaders | undefined): void {
    this.processed++;
    const lineage = parseLineage(headerText(headers, LINEAGE_HEADER) ?? '');
    if (lineage === undefined || lineage.topic !== this.inputTopic) {
      this.unattributed++;
      return;
    }
    this.tallies.get(lineage.partition)?.add(Number(lineage.offset));
  }

  /** Dead letters of other stages (their source is another topic) are not the processor's. */
  addDeadLetter(headers: IHeaders | undefined): void {
    if (headerText(headers, DEAD_LETTER_HEADERS.sourceTopic) !== this.inputTopic) return;
    this.deadLettered++;
    const partition = Number(headerText(headers, DEAD_LETTER_HEADERS.sourcePartition));
    const offset = Number(headerText(headers, DEAD_LETTER_HEADERS.sourceOffset));
    this.tallies.get(partition)?.add(offset);
  }

  report(): ProcessorReport {
    const partitions = this.partitions.map((p): InputPartitionReport => {
      const tally = this.tallies.get(p.partition) as OffsetTally;
      return { ...p, checked: tally.until - tally.from, inFlight: Math.max(0, p.high - Math.max(p.low, p.committed)), ...tally.findings() };
    });
    const sum = (pick: (p: InputPartitionReport) => number) => partitions.reduce((n, p) => n + pick(p), 0);
    const missing = sum((p) => p.missing);
    const duplicated = sum((p) => p.duplicated);
    return {
      ok: missing === 0 && duplicated === 0,
      partitions,
      checked: sum((p) => p.checked),
      missing,
      duplicated,
      inFlight: sum((p) => p.inFlight),
      processed: this.processed,
      deadLettered: this.deadLettered,
      unattributed: this.unattributed,
    };
  }
}
