import type { Logger } from '@login-stream/logger';
import { Health } from './health';
import { startOpsServer } from './ops-server';
import { PipelineMetrics } from './pipeline-metrics';

export interface Operations {
  /** Undefined when HTTP is off: nothing reads metrics, so none are kept. */
  readonly metrics: PipelineMetrics | undefined;
  readonly health: Health;
  close(): Promise<void>;
}

/**
 * What a service's main builds first: its health, its metrics and the HTTP server for both,
 * unless `httpPort` is 0.
 */
export async function serveOperations(settings: { readonly httpPort: number; readonly httpHost: string }, logger: Logger): Promise<Operations> {
  const health = new Health();
  if (settings.httpPort === 0) return { metrics: undefined, health, close: async () => undefined };
  const metrics = new PipelineMetrics();
  metrics.reportReadiness(() => health.ready());
  const server = await startOpsServer({ host: settings.httpHost, port: settings.httpPort, metrics, health, logger });
  return { metrics, health, close: () => server.close() };
}
