import type { PipelineMetrics } from './pipeline-metrics';

/** What one committed transaction of a stage did. */
export interface CommittedWork {
  readonly inputTopic: string;
  /** Input records the transaction consumed (0 for a tick, which writes without input). */
  readonly inputRecords: number;
  readonly outputs: ReadonlyMap<string, number>;
  readonly deadLetters: ReadonlyMap<string, number>;
  readonly seconds: number;
  /** The event time of the last record it handled, when the stage knows event times. */
  readonly lastEventTimeMs?: number;
}

/** The pipeline's metrics as one exactly-once stage moves them: every series labelled with its name. */
export class StageMetrics {
  private readonly lagSeries = new Set<string>();

  constructor(
    private readonly metrics: PipelineMetrics,
    readonly stage: string,
  ) {}

  committed(work: CommittedWork): void {
    const { metrics, stage } = this;
    if (work.inputRecords > 0) metrics.recordsIn.inc({ stage, topic: work.inputTopic }, work.inputRecords);
    for (const [topic, n] of work.outputs) metrics.recordsOut.inc({ stage, topic }, n);
    for (const [reason, n] of work.deadLetters) metrics.deadLetters.inc({ stage, reason }, n);
    metrics.transactions.inc({ stage, outcome: 'committed' });
    metrics.transactionSeconds.observe({ stage, outcome: 'committed' }, work.seconds);
    if (work.lastEventTimeMs !== undefined) metrics.eventTimeHandled(stage, work.lastEventTimeMs);
  }

  aborted(seconds: number): void {
    const { metrics, stage } = this;
    metrics.transactions.inc({ stage, outcome: 'aborted' });
    metrics.transactionSeconds.observe({ stage, outcome: 'aborted' }, seconds);
  }

  lag(topic: string, partition: number, records: number): void {
    const key = String(partition);
    this.lagSeries.add(key);
    this.metrics.consumerLag.set({ stage: this.stage, topic, partition: key }, records);
  }

  /** The group (re)joined with these partitions: one more rebalance; lag of partitions gone is dropped. */
  assigned(topic: string, partitions: readonly number[]): void {
    const { metrics, stage } = this;
    metrics.rebalances.inc({ stage });
    metrics.assignedPartitions.set({ stage }, partitions.length);
    const held = new Set(partitions.map(String));
    for (const partition of this.lagSeries) {
      if (held.has(partition)) continue;
      metrics.consumerLag.remove({ stage, topic, partition });
      this.lagSeries.delete(partition);
    }
  }
}
