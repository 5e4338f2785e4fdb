import type { Logger } from '@login-stream/logger';
import type { RejectionCode } from '@login-stream/schema';

/** Counts of committed work since start: records per output topic, dead letters per reason. */
export class ProcessorStats {
  private readonly outputs = new Map<string, number>();
  private readonly rejections = new Map<RejectionCode, number>();

  addOutput(topic: string, count: number): void {
    if (count > 0) this.outputs.set(topic, (this.outputs.get(topic) ?? 0) + count);
  }

  addRejection(code: RejectionCode, count = 1): void {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + count);
  }

  snapshot(): { outputs: Record<string, number>; rejections: Partial<Record<RejectionCode, number>> } {
    return { outputs: Object.fromEntries(this.outputs), rejections: Object.fromEntries(this.rejections) };
  }
}

/** Logs a `stats` line every `intervalMs`; returns a stop function that logs a last one. */
export function logStatsPeriodically(stats: ProcessorStats, logger: Logger, intervalMs: number): () => void {
  const log = () => logger.info(stats.snapshot(), 'stats');
  const timer = setInterval(log, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    log();
  };
}
