
/** What the insights stages have committed since start. */
export class InsightsStats {
  eventsIn = 0;
  lateEvents = 0;
  /** Logins sent to the merge because their partition had released their window while idle. */
  stragglers = 0;
  windowsEmitted = 0;
  deadLettered = 0;
  private readonly openByPartition = new Map<string, number>();

  /** Open windows of one stage's partition, as of its last commit. */
  setOpen(stage: string, partition: number, open: number): void {
    this.openByPartition.set(`${stage}:${partition}`, open);
  }

  snapshot(): { eventsIn: number; windowsEmitted: number; lateEvents: number; stragglers: number; deadLettered: number; openWindows: Record<string, number>; memoryMb: { rss: number; heapTotal: number; heapUsed: number; arrayBuffers: number } } {
    const openWindows: Record<string, number> = {};
    for (const [key, n] of this.openByPartition) {
      const stage = key.slice(0, key.indexOf(':'));
      openWindows[stage] = (openWindows[stage] ?? 0) + n;
    }
    const { rss, heapUsed, heapTotal, arrayBuffers } = process.memoryUsage();
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    return { eventsIn: this.eventsIn, windowsEmitted: this.windowsEmitted, lateEvents: this.lateEvents, stragglers: this.stragglers, deadLettered: this.deadLettered, openWindows, memoryMb: { rss: mb(rss), heapTotal: mb(heapTotal), heapUsed: mb(heapUsed), arrayBuffers: mb(arrayBuffers) } };
  }
}
