import { trapShutdownSignals } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import { serveOperations } from './operations';
import type { PipelineMetrics } from './pipeline-metrics';
import type { Readiness } from './readiness';

/** A long-running service as its main runs it. */
export interface RunnableService {
  start(): Promise<void>;
  /** Finishes the work in hand and disconnects. */
  stop(): Promise<void>;
  readiness(): Readiness;
}

export interface RunServiceOptions {
  /** For the log lines: "<name> failed". */
  readonly name: string;
  readonly logger: Logger;
  readonly ops: { readonly httpPort: number; readonly httpHost: string };
  /** Builds the service with the metrics (when kept) and the callback for failures it cannot survive. */
  readonly create: (context: { readonly metrics?: PipelineMetrics; readonly onFatal: (err: unknown) => void }) => RunnableService;
  /** Called once the service runs (its start line). */
  readonly onStarted: () => void;
}

/**
 * The lifecycle every consuming service's main shares: serve the operations endpoints, build
 * and start the service, answer /readyz from it, and on SIGINT/SIGTERM turn unready first, then
 * stop it, then close the endpoints. A fatal failure turns /healthz to 503 and exits 1 once the
 * log is flushed, a failed start included.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const { name, logger } = options;
  const ops = await serveOperations(options.ops, logger);
  const fail = (err: unknown): void => {
    ops.health.failed(err instanceof Error ? err.message : String(err));
    logger.fatal({ err }, `${name} failed`);
    logger.flush(() => process.exit(1));
  };
  const service = options.create({ onFatal: fail, ...(ops.metrics !== undefined && { metrics: ops.metrics }) });
  ops.health.setReadiness(() => service.readiness());
  trapShutdownSignals({
    logger,
    shutdown: async () => {
      // Unready and unhealthy first, so nothing routes to or restarts a process on its way out.
      ops.health.shuttingDown();
      await service.stop();
      await ops.close();
    },
  });
  try {
    await service.start();
  } catch (err) {
    fail(err);
    return;
  }
  options.onStarted();
}
