import type { Logger } from '@login-stream/logger';

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Stops fetching, finishes the batch in hand, commits, disconnects. */
  readonly shutdown: (signal: NodeJS.Signals) => Promise<void>;
  /** Hard limit after the first signal; past it the process exits non-zero. */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** Injected for tests; defaults to process.exit. */
  readonly exit?: (code: number) => void;
  readonly processLike?: Pick<NodeJS.Process, 'once' | 'removeListener'>;
}

/**
 * Traps SIGINT/SIGTERM once: runs `shutdown` and exits 0 when it finishes, or exits 1 if it
 * fails or takes longer than the timeout (10 s by default). A second signal exits at once.
 * Returns a function that removes the traps.
 */
export function trapShutdownSignals(options: ShutdownOptions): () => void {
  const { logger, shutdown } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const proc = options.processLike ?? process;
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    // Keep trapping so a second signal is handled above instead of killing us mid-commit.
    for (const s of signals) proc.once(s, onSignal);
    logger.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ code: 'SHUTDOWN_TIMEOUT', timeoutMs }, 'shutdown did not finish in time; exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    shutdown(signal).then(
      () => {
        clearTimeout(timer);
        logger.info('shutdown complete');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };

  for (const s of signals) proc.once(s, onSignal);
  return () => {
    for (const s of signals) proc.removeListener(s, onSignal);
  };
}
