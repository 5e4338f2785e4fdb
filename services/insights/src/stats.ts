import { splitWindowInsightsKey } from '@login-stream/schema';
import type { PipelineMetrics } from '@login-stream/telemetry';

/** What the insights stages have committed since start, for the stats log line and, when kept, the metrics. */
export class InsightsStats {
  eventsIn = 0;
  lateEvents = 0;
  /** Logins sent to the merge because their partition had released their window while idle. */
  stragglers = 0;
  windowsEmitted = 0;
  deadLettered = 0;
  private readonly openByPartition = new Map<string, number>();

  constructor(private readonly metrics?: PipelineMetrics) {}

  /** `events` late logins were written, late for these windows (keys) in all. */
  addLate(events: number, windowKeys: readonly string[]): void {
    this.lateEvents += events;
    for (const key of windowKeys) this.metrics?.lateEvents.inc({ window: splitWindowInsightsKey(key).windowSize });
  }

  /** Windows of these sizes (labels) were written to login-insights. */
  addEmitted(sizes: readonly string[]): void {
    this.windowsEmitted += sizes.length;
    for (const window of sizes) this.metrics?.windowsEmitted.inc({ window });
  }

  /** Open windows of one stage's partition, as of its last commit. */
  setOpen(stage: string, partition: number, open: number): void {
    this.openByPartition.set(`${stage}:${partition}`, open);
    this.metrics?.openWindows.set({ stage }, this.openWindows()[stage] ?? 0);
  }

  private openWindows(): Record<string, number> {
    const openWindows: Record<string, number> = {};
    for (const [key, n] of this.openByPartition) {
      const stage = key.slice(0, key.indexOf(':'));
      openWindows[stage] = (openWindows[stage] ?? 0) + n;
    }
    return openWindows;
  }

  snapshot(): { eventsIn: number; windowsEmitted: number; lateEvents: number; stragglers: number; deadLettered: number; openWindows: Record<string, number>; memoryMb: { rss: number; heapTotal: number; heapUsed: number; arrayBuffers: number } } {
    const { rss, heapUsed, heapTotal, arrayBuffers } = process.memoryUsage();
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    return { eventsIn: this.eventsIn, windowsEmitted: this.windowsEmitted, lateEvents: this.lateEvents, stragglers: this.stragglers, deadLettered: this.deadLettered, openWindows: this.openWindows(), memoryMb: { rss: mb(rss), heapTotal: mb(heapTotal), heapUsed: mb(heapUsed), arrayBuffers: mb(arrayBuffers) } };
  }
}
