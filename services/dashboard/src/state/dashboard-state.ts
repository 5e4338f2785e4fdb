import { splitWindowInsightsKey } from '@login-stream/schema';
import type { FlowTopic, FlowView, ReconciliationView, Snapshot, Tick, WindowInsights, WindowView } from '@login-stream/schema';

/** The pipeline's topics in flow order. */
export const FLOW_TOPICS: readonly FlowTopic[] = ['input', 'processed', 'deadLetter', 'summary', 'insights', 'late'];

/** The last 60 one-minute windows, the last 24 hours. */
export const MINUTES_KEPT = 60;
export const HOURS_KEPT = 24;
/** Rates are averaged over this long. */
export const RATE_WINDOW_MS = 5_000;

export function windowView(w: WindowInsights): WindowView {
  return {
    key: `${w.window_size}:${w.window_start}`,
    size: w.window_size,
    startMs: w.window_start_ms,
    logins: w.logins,
    uniqueUsers: w.unique_users,
    deviceTypes: w.device_types,
    mostLocales: w.locales.most,
    leastLocales: w.locales.least,
    usersWithMultipleIps: w.ips.users_with_multiple_ips,
    maxIpsPerUser: w.ips.max_per_user === null ? null : { ips: w.ips.max_per_user.ips, userIds: w.ips.max_per_user.user_ids },
  };
}

/** Keeps the newest `keep` windows by start, one per key. */
function upsert(list: WindowView[], view: WindowView, keep: number): WindowView[] {
  const next = [...list.filter((w) => w.key !== view.key), view].sort((a, b) => a.startMs - b.startMs);
  return next.slice(Math.max(0, next.length - keep));
}

/**
 * The dashboard's model, fed by the topics' records; pure (the clock is passed in). 1m and 1h
 * windows are kept (other sizes are not drawn); late counts only for kept windows' keys.
 */
export class DashboardState {
  private minutes: WindowView[] = [];
  private hours: WindowView[] = [];
  private readonly records = new Map<FlowTopic, number>(FLOW_TOPICS.map((t) => [t, 0]));
  /** Per topic, [atMs, count] of recent arrivals for the rate. */
  private readonly recent = new Map<FlowTopic, Array<[number, number]>>(FLOW_TOPICS.map((t) => [t, []]));
  private readonly rejections = new Map<string, number>();
  private readonly late = new Map<string, number>();
  private reconciliation: ReconciliationView | null = null;

  constructor(private readonly names: Readonly<Record<FlowTopic, string>>) {}

  /** A window result; returns its view when the page draws windows of its size. */
  addWindow(w: WindowInsights): WindowView | undefined {
    const view = windowView(w);
    if (view.size === '1m') this.minutes = upsert(this.minutes, view, MINUTES_KEPT);
    else if (view.size === '1h') this.hours = upsert(this.hours, view, HOURS_KEPT);
    else return undefined;
    this.forgetLateBefore(view.size, view.size === '1m' ? this.minutes : this.hours, view.size === '1m' ? MINUTES_KEPT : HOURS_KEPT);
    return view;
  }

  /** Late counts of windows older than every kept one are no longer shown: forgotten, so memory stays bounded. */
  private forgetLateBefore(size: string, kept: readonly WindowView[], keep: number): void {
    if (kept.length < keep) return;
    const oldest = kept[0].startMs;
    for (const key of this.late.keys()) {
      const { windowSize, windowStart } = splitWindowInsightsKey(key);
      if (windowSize === size && Date.parse(windowStart) < oldest) this.late.delete(key);
    }
  }

  /** A late login, late for these window keys. */
  addLate(windowKeys: readonly string[]): void {
    for (const key of windowKeys) {
      const { windowSize } = splitWindowInsightsKey(key);
      if (windowSize === '1m' || windowSize === '1h') this.late.set(key, (this.late.get(key) ?? 0) + 1);
    }
  }

  addRejection(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  /** `count` records arrived on a topic at `atMs`. */
  addRecords(topic: FlowTopic, count: number, atMs: number): void {
    this.records.set(topic, (this.records.get(topic) ?? 0) + count);
    this.recent.get(topic)?.push([atMs, count]);
  }

  setReconciliation(view: ReconciliationView): void {
    this.reconciliation = view;
  }

  tick(nowMs: number): Tick {
    const flows = FLOW_TOPICS.map((topic): FlowView => {
      const recent = (this.recent.get(topic) ?? []).filter(([at]) => at > nowMs - RATE_WINDOW_MS);
      this.recent.set(topic, recent);
      const arrived = recent.reduce((n, [, c]) => n + c, 0);
      return { topic, name: this.names[topic], records: this.records.get(topic) ?? 0, perSecond: Math.round((arrived * 1000) / RATE_WINDOW_MS) };
    });
    const shown = new Set([...this.minutes, ...this.hours].map((w) => w.key));
    const late = Object.fromEntries([...this.late].filter(([key]) => shown.has(key)));
    const rejections = [...this.rejections].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return { atMs: nowMs, flows, rejections, late, reconciliation: this.reconciliation };
  }

  snapshot(nowMs: number): Snapshot {
    return { ...this.tick(nowMs), minutes: this.minutes, hours: this.hours };
  }
}
