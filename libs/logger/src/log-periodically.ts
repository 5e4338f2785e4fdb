import type { Logger } from 'pino';

/**
 * Logs `snapshot()` as one info line (`msg`) every `intervalMs`, off the event loop's keep-alive;
 * returns a stop function that logs a last one.
 */
export function logPeriodically(logger: Logger, intervalMs: number, msg: string, snapshot: () => object): () => void {
  const log = () => logger.info(snapshot(), msg);
  const timer = setInterval(log, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    log();
  };
}
