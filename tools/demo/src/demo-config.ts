import { envInt, parseEnv } from '@login-stream/config';
import type { Env } from '@login-stream/config';

const demoEnv = {
  /** Events per second the producer generates. */
  DEMO_RATE: envInt(1, 1_000_000).default(500),
  /** Share of deliberately bad events, in percent. */
  DEMO_BAD_PERCENT: envInt(0, 100).default(5),
  DEMO_REFRESH_MS: envInt(200, 60_000).default(1_000),
  /** Pause between reconciliation checks (each reads every topic from the start). */
  DEMO_CHECK_INTERVAL_MS: envInt(500, 600_000).default(5_000),
};

export function loadDemoConfig(env: Env) {
  const e = parseEnv(demoEnv, env);
  return { rate: e.DEMO_RATE, badPercent: e.DEMO_BAD_PERCENT, refreshMs: e.DEMO_REFRESH_MS, checkIntervalMs: e.DEMO_CHECK_INTERVAL_MS };
}
