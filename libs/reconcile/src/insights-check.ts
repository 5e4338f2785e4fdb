import { EVENT_TIME_HEADER, headerText, LATE_WINDOWS_HEADER, parseLateWindows, readWindowInsights, splitWindowInsightsKey, windowInsightsKey } from '@login-stream/schema';
import type { IHeaders } from 'kafkajs';

export interface WindowSizeReport {
  readonly windowSize: string;
  /** Results on login-insights, and how many of them repeat a window already seen. */
  readonly windows: number;
  readonly duplicateWindows: number;
  /** The closed range: from the first result's start to the last one's end (epoch ms). */
  readonly fromMs: number;
  readonly untilMs: number;
  /** Σ logins of the results. */
  readonly resultLogins: number;
  /** Late logins for a window of this size in the range. */
  readonly lateEvents: number;
  /** Processed logins with an event time in the range. */
  readonly processedLogins: number;
  /** resultLogins + lateEvents = processedLogins, and no window twice. */
  readonly balanced: boolean;
}

export type InsightsStatus = 'ok' | 'in-flight' | 'mismatch' | 'no-windows';

export interface InsightsReport {
  /**
   * ok: every size balanced. in-flight: not balanced while insights was still consuming (input
   * or partials left, or results or late records written during the check), so not a finding.
   * mismatch: not balanced though insights was caught up. no-windows: nothing emitted yet.
   */
  readonly status: InsightsStatus;
  readonly caughtUp: boolean;
  readonly sizes: readonly WindowSizeReport[];
}

interface SizeTally {
  sizeMs: number;
  fromMs: number;
  untilMs: number;
  windows: number;
  duplicateWindows: number;
  resultLogins: number;
  lateEvents: number;
  processedLogins: number;
}

/**
 * For each window size: Σ logins of the results + late logins = processed logins, over the
 * range the results cover. Fed in order: every result first (they fix the ranges), then late
 * records and processed logins. Pure.
 */
export class InsightsCheck {
  private readonly sizes = new Map<string, SizeTally>();
  private readonly seen = new Set<string>();
  private ranges: Array<{ tally: SizeTally; fromMs: number; untilMs: number }> | undefined;

  /** A login-insights record; one that is not a window result (by the contract's schema) is not counted. */
  addResult(value: Buffer | null): void {
    if (this.ranges !== undefined) throw new Error('every result must come before late and processed records');
    const parsed = readWindowInsights(value);
    if (parsed === undefined) return;
    const size = parsed.window_size;
    const tally = this.sizes.get(size) ?? { sizeMs: parsed.window_end_ms - parsed.window_start_ms, fromMs: Infinity, untilMs: -Infinity, windows: 0, duplicateWindows: 0, resultLogins: 0, lateEvents: 0, processedLogins: 0 };
    this.sizes.set(size, tally);
    const key = windowInsightsKey(size, parsed.window_start);
    if (this.seen.has(key)) tally.duplicateWindows++;
    this.seen.add(key);
    tally.windows++;
    tally.resultLogins += parsed.logins;
    tally.fromMs = Math.min(tally.fromMs, parsed.window_start_ms);
    tally.untilMs = Math.max(tally.untilMs, parsed.window_end_ms);
  }

  /** A login-insights-late record: late for each window its header names. */
  addLate(headers: IHeaders | undefined): void {
    for (const key of parseLateWindows(headerText(headers, LATE_WINDOWS_HEADER) ?? '')) {
      const { windowSize, windowStart } = splitWindowInsightsKey(key);
      const tally = this.sizes.get(windowSize);
      const startMs = Date.parse(windowStart);
      if (tally !== undefined && startMs >= tally.fromMs && startMs < tally.untilMs) tally.lateEvents++;
    }
  }

  addProcessed(headers: IHeaders | undefined): void {
    this.ranges ??= [...this.sizes.values()].map((tally) => ({ tally, fromMs: tally.fromMs, untilMs: tally.untilMs }));
    const eventTimeMs = Number(headerText(headers, EVENT_TIME_HEADER));
    for (const { tally, fromMs, untilMs } of this.ranges) if (eventTimeMs >= fromMs && eventTimeMs < untilMs) tally.processedLogins++;
  }

  report(caughtUp: boolean): InsightsReport {
    const sizes = [...this.sizes.entries()]
      .sort(([, a], [, b]) => a.sizeMs - b.sizeMs)
      .map(([windowSize, { sizeMs: _sizeMs, ...t }]): WindowSizeReport => ({ windowSize, ...t, balanced: t.duplicateWindows === 0 && t.resultLogins + t.lateEvents === t.processedLogins }));
    const status: InsightsStatus = sizes.length === 0 ? 'no-windows' : sizes.every((s) => s.balanced) ? 'ok' : caughtUp ? 'mismatch' : 'in-flight';
    return { status, caughtUp, sizes };
  }
}
