import type { TopicNames } from '@login-stream/config';
import type { WindowInsights } from '@login-stream/schema';

export type FlowTopic = 'input' | 'processed' | 'deadLetter' | 'summary' | 'insights' | 'late';

export interface FlowSnapshot {
  readonly elapsedMs: number;
  readonly counts: Readonly<Record<FlowTopic, number>>;
  /** Messages per second over the last interval, per topic. */
  readonly rates: Readonly<Record<FlowTopic, number>>;
  /** Dead letters by reason code, most frequent first. */
  readonly rejections: ReadonlyArray<readonly [string, number]>;
  /** The closed 1m window that starts latest, if any. */
  readonly latestMinute: WindowInsights | undefined;
}

const TOPICS: readonly FlowTopic[] = ['input', 'processed', 'deadLetter', 'summary', 'insights', 'late'];

function zeroCounts(): Record<FlowTopic, number> {
  return { input: 0, processed: 0, deadLetter: 0, summary: 0, insights: 0, late: 0 };
}

/** Running totals of what flowed through each topic; pure, fed by the flow monitor. */
export class FlowStats {
  private readonly counts = zeroCounts();
  private readonly rejections = new Map<string, number>();
  private lastCounts = zeroCounts();
  private lastAtMs: number;
  private latestMinute: WindowInsights | undefined;

  constructor(private readonly startedAtMs: number) {
    this.lastAtMs = startedAtMs;
  }

  static topicOf(topic: string, names: TopicNames): FlowTopic | undefined {
    if (topic === names.userLogin) return 'input';
    if (topic === names.processedLogins) return 'processed';
    if (topic === names.deadLetter) return 'deadLetter';
    if (topic === names.userSummary) return 'summary';
    if (topic === names.loginInsights) return 'insights';
    if (topic === names.loginInsightsLate) return 'late';
    return undefined;
  }

  record(topic: FlowTopic, count: number): void {
    this.counts[topic] += count;
  }

  /** A window result: the latest 1m window is kept for the view. */
  recordWindow(result: WindowInsights): void {
    if (result.window_size === '1m' && (this.latestMinute === undefined || result.window_start_ms > this.latestMinute.window_start_ms)) this.latestMinute = result;
  }

  recordRejection(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  /** A snapshot; rates cover the time since the previous snapshot. */
  snapshot(nowMs: number): FlowSnapshot {
    const intervalS = Math.max((nowMs - this.lastAtMs) / 1000, 1e-3);
    const rates = zeroCounts();
    for (const t of TOPICS) rates[t] = Math.round((this.counts[t] - this.lastCounts[t]) / intervalS);
    this.lastCounts = { ...this.counts };
    this.lastAtMs = nowMs;
    return {
      elapsedMs: nowMs - this.startedAtMs,
      counts: { ...this.counts },
      rates,
      rejections: [...this.rejections.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      latestMinute: this.latestMinute,
    };
  }
}
