import { envInt, loadDashboardPort, parseEnv } from '@login-stream/config';
import type { Env } from '@login-stream/config';
import { z } from 'zod';

const dashboardEnv = {
  DASHBOARD_HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** Records appended this long before the start are read too, so a fresh page is not empty. */
  DASHBOARD_HISTORY_MS: envInt(0, 7 * 24 * 3_600_000).default(3 * 3_600_000),
  /** How often the page gets the flows, rejections and late counts. */
  DASHBOARD_TICK_MS: envInt(100, 60_000).default(1_000),
  /** The pause between reconciliation checks; each reads every topic from its start. */
  DASHBOARD_CHECK_INTERVAL_MS: envInt(1_000, 3_600_000).default(30_000),
};

export interface DashboardConfig {
  readonly port: number;
  readonly host: string;
  readonly historyMs: number;
  readonly tickMs: number;
  readonly checkIntervalMs: number;
}

export function loadDashboardConfig(env: Env = process.env): DashboardConfig {
  const e = parseEnv(dashboardEnv, env);
  return Object.freeze({ port: loadDashboardPort(env), host: e.DASHBOARD_HOST, historyMs: e.DASHBOARD_HISTORY_MS, tickMs: e.DASHBOARD_TICK_MS, checkIntervalMs: e.DASHBOARD_CHECK_INTERVAL_MS });
}
