import { notReady, READY } from '@login-stream/telemetry';
import type { PipelineMetrics, Readiness } from '@login-stream/telemetry';

/**
 * What the producer's /readyz and metrics report: ready once connected and while its sends go
 * through; a failed send (the broker is away, the batch is being retried) makes it unready until
 * one succeeds again.
 */
export class ProducerStatus {
  private state: Readiness = notReady('connecting');

  constructor(private readonly metrics?: PipelineMetrics) {}

  connected(): void {
    this.state = READY;
  }

  sent(topic: string, records: number): void {
    this.state = READY;
    this.metrics?.producerSends.inc({ outcome: 'ok' });
    this.metrics?.recordsOut.inc({ stage: 'producer', topic }, records);
  }

  sendFailed(err: unknown): void {
    this.state = notReady(`a send failed: ${err instanceof Error ? err.message : String(err)}`);
    this.metrics?.producerSends.inc({ outcome: 'failed' });
  }

  skipped(reason: 'too_large'): void {
    this.metrics?.producerSkipped.inc({ reason });
  }

  finished(): void {
    this.state = notReady('the run has ended');
  }

  readiness(): Readiness {
    return this.state;
  }
}
