import type { CommittedBatch } from '@login-stream/exactly-once';
import type { RejectionCode } from '@login-stream/schema';

/** Counts of committed work since start: records per output topic, dead letters per reason. */
export class ProcessorStats {
  private readonly outputs = new Map<string, number>();
  private readonly rejections = new Map<RejectionCode, number>();

  /** Counts a batch once its transaction committed. */
  addCommitted(batch: CommittedBatch): void {
    for (const [topic, count] of batch.outputs) this.outputs.set(topic, (this.outputs.get(topic) ?? 0) + count);
    for (const [code, count] of batch.deadLetters) this.rejections.set(code, (this.rejections.get(code) ?? 0) + count);
  }

  snapshot(): { outputs: Record<string, number>; rejections: Partial<Record<RejectionCode, number>> } {
    return { outputs: Object.fromEntries(this.outputs), rejections: Object.fromEntries(this.rejections) };
  }
}
