/**
 * The dashboard's Server-Sent Events stream, as the server sends it and the page reads it:
 *   snapshot  on connect: everything the page shows (Snapshot)
 *   window    a 1m or 1h window result just arrived (WindowView)
 *   tick      every DASHBOARD_TICK_MS: flows, rejections, late counts, reconciliation (Tick)
 * Types only, so the page's script imports nothing at run time.
 */
export type DashboardEvent = 'snapshot' | 'window' | 'tick';

/** The pipeline's topics as the page names them, in flow order. */
export type FlowTopic = 'input' | 'processed' | 'deadLetter' | 'summary' | 'insights' | 'late';

/** One closed window as the page draws it. */
export interface WindowView {
  /** `<size>:<start ISO>`, the key of its login-insights record. */
  readonly key: string;
  readonly size: string;
  readonly startMs: number;
  readonly logins: number;
  readonly uniqueUsers: number;
  readonly deviceTypes: Readonly<Record<string, number>>;
  readonly mostLocales: { readonly locales: readonly string[]; readonly logins: number } | null;
  readonly leastLocales: { readonly locales: readonly string[]; readonly logins: number } | null;
  readonly usersWithMultipleIps: number;
  readonly maxIpsPerUser: { readonly ips: number; readonly userIds: readonly string[] } | null;
}

export interface FlowView {
  readonly topic: FlowTopic;
  /** The topic's name in Kafka. */
  readonly name: string;
  /** Records seen read_committed since the dashboard's history start. */
  readonly records: number;
  readonly perSecond: number;
}

export interface ReconciliationView {
  /** OK, MISSING, DUPLICATED, MISSING+DUPLICATED, INSIGHTS MISMATCH, PENDING or ERROR. */
  readonly verdict: string;
  readonly line: string;
  readonly checkedAtMs: number;
}

export interface Tick {
  readonly atMs: number;
  readonly flows: readonly FlowView[];
  /** Dead letters by reason, most first. */
  readonly rejections: ReadonlyArray<readonly [string, number]>;
  /** Late logins per window key, for the windows on the page. */
  readonly late: Readonly<Record<string, number>>;
  readonly reconciliation: ReconciliationView | null;
}

export interface Snapshot extends Tick {
  /** The last 60 one-minute windows and the last 24 one-hour windows, oldest first. */
  readonly minutes: readonly WindowView[];
  readonly hours: readonly WindowView[];
}
