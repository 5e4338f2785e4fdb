import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Readiness } from './readiness';

/** Transactions take milliseconds to seconds; the last buckets catch a broker in trouble. */
const TRANSACTION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every metric a service of the pipeline exports, declared once: names, help and labels.
 * Prometheus conventions: the `login_stream_` prefix, base units (seconds), `_total` on
 * counters, and no label whose values grow with the data (no user ids). A service registers
 * all of them and moves those that apply to it; Node's process metrics come with them.
 */
export class PipelineMetrics {
  readonly registry = new Registry();

  readonly recordsIn = new Counter({
    name: 'login_stream_records_in_total',
    help: 'Input records whose processing committed (each counted once, with the transaction that consumed it).',
    labelNames: ['stage', 'topic'] as const,
    registers: [this.registry],
  });

  readonly recordsOut = new Counter({
    name: 'login_stream_records_out_total',
    help: 'Records written per topic: committed transactions for the exactly-once stages, acknowledged sends for the producer.',
    labelNames: ['stage', 'topic'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'login_stream_dead_letters_total',
    help: 'Records dead-lettered in committed transactions, by the reason on their dlq.reason header.',
    labelNames: ['stage', 'reason'] as const,
    registers: [this.registry],
  });

  readonly transactions = new Counter({
    name: 'login_stream_transactions_total',
    help: 'Kafka transactions of a stage, by outcome: committed, or aborted (the batch is retried from the committed offset).',
    labelNames: ['stage', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly transactionSeconds = new Histogram({
    name: 'login_stream_transaction_duration_seconds',
    help: 'Time from building a batch to its transaction committing or failing.',
    labelNames: ['stage', 'outcome'] as const,
    buckets: TRANSACTION_BUCKETS,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'login_stream_consumer_lag_records',
    help: "Records behind the partition's high watermark after the stage's last handled batch (transaction markers count as consumed).",
    labelNames: ['stage', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  private readonly lastEventTimeMs = new Map<string, number>();

  readonly eventTimeLag: Gauge<'stage'> = new Gauge({
    name: 'login_stream_event_time_lag_seconds',
    help: 'Now minus the event time of the last record the stage committed. Grows while the input is idle too.',
    labelNames: ['stage'] as const,
    registers: [this.registry],
    // Computed at scrape time, so it grows while nothing arrives.
    collect: (): void => {
      const now = Date.now();
      for (const [stage, at] of this.lastEventTimeMs) this.eventTimeLag.set({ stage }, (now - at) / 1000);
    },
  });

  readonly assignedPartitions = new Gauge({
    name: 'login_stream_assigned_partitions',
    help: 'Input partitions the stage holds in its consumer group.',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });

  readonly rebalances = new Counter({
    name: 'login_stream_rebalances_total',
    help: "Consumer group joins of the stage (the first one included): each is a rebalance of its group.",
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });

  readonly producerSends = new Counter({
    name: 'login_stream_producer_sends_total',
    help: 'Produce requests of the producer service, by outcome: ok, or failed (retried while the broker is away).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly producerSkipped = new Counter({
    name: 'login_stream_producer_skipped_total',
    help: 'Source items the producer did not send, by reason (too_large: over the topic max.message.bytes).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly windowsEmitted = new Counter({
    name: 'login_stream_windows_emitted_total',
    help: 'Insights windows written to login-insights, by window size.',
    labelNames: ['window'] as const,
    registers: [this.registry],
  });

  readonly lateEvents = new Counter({
    name: 'login_stream_late_events_total',
    help: 'Logins that came after their window of this size closed, written to login-insights-late.',
    labelNames: ['window'] as const,
    registers: [this.registry],
  });

  readonly openWindows = new Gauge({
    name: 'login_stream_open_windows',
    help: 'Windows held open by an insights stage, as of its last commit.',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });

  private readiness: () => Readiness = () => ({ ready: false, reason: 'starting' });

  readonly ready: Gauge = new Gauge({
    name: 'login_stream_ready',
    help: '1 while the service is ready (what /readyz answers 200 to), else 0.',
    registers: [this.registry],
    collect: (): void => this.ready.set(this.readiness().ready ? 1 : 0),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** What login_stream_ready reports. */
  reportReadiness(readiness: () => Readiness): void {
    this.readiness = readiness;
  }

  /** A stage committed a record with this event time: the event-time lag is measured from it. */
  eventTimeHandled(stage: string, eventTimeMs: number): void {
    this.lastEventTimeMs.set(stage, eventTimeMs);
  }

  /** The metrics in Prometheus text format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
