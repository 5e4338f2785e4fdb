import { z } from 'zod';
import { envInt } from './env-types';
import { deepFreeze, parseEnv } from './parse-env';
import type { Env } from './parse-env';

/**
 * Where each service serves /metrics, /healthz and /readyz unless HTTP_PORT says otherwise:
 * distinct, so the services can share a host (the demo) with no setting at all.
 */
export const DEFAULT_HTTP_PORTS = {
  producer: 9400,
  'login-processor': 9401,
  insights: 9402,
} as const;

export type OpsService = keyof typeof DEFAULT_HTTP_PORTS;

/** Where the dashboard serves its page: DASHBOARD_PORT, 3000 by default, 0 for a free one (tests). */
export function loadDashboardPort(env: Env = process.env): number {
  return parseEnv({ DASHBOARD_PORT: envInt(0, 65_535).default(3_000) }, env).DASHBOARD_PORT;
}

export interface OpsConfig {
  /** 0: no HTTP server (and no metrics kept). */
  readonly httpPort: number;
  readonly httpHost: string;
}

/** The operations endpoint settings of one service: HTTP_PORT (its own default) and HTTP_HOST. */
export function loadOpsConfig(service: OpsService, env: Env = process.env): OpsConfig {
  const e = parseEnv(
    {
      HTTP_PORT: envInt(0, 65_535).default(DEFAULT_HTTP_PORTS[service]),
      /** All interfaces by default, as a container needs; 127.0.0.1 keeps it to the host. */
      HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
    },
    env,
  );
  return deepFreeze({ httpPort: e.HTTP_PORT, httpHost: e.HTTP_HOST });
}
