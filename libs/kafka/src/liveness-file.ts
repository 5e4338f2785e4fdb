import { rmSync, statSync, writeFileSync } from 'node:fs';

/** How often a running service refreshes its liveness file. */
export const LIVENESS_INTERVAL_MS = 5_000;

/**
 * Keeps `file` fresh while the service runs (now, then every `intervalMs`) and removes it when
 * the returned function is called at shutdown: a container healthcheck reads its age
 * (`isLive`). Without a file it does nothing.
 */
export function keepLivenessFile(file: string | undefined, intervalMs = LIVENESS_INTERVAL_MS): () => void {
  if (file === undefined) return () => undefined;
  const touch = () => writeFileSync(file, `${new Date().toISOString()}\n`);
  touch();
  const timer = setInterval(touch, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    rmSync(file, { force: true });
  };
}

/** Whether the liveness file was refreshed within `maxAgeMs`: absent or stale means not live. */
export function isLive(file: string, maxAgeMs = 3 * LIVENESS_INTERVAL_MS, nowMs = Date.now()): boolean {
  try {
    return nowMs - statSync(file).mtimeMs <= maxAgeMs;
  } catch {
    return false;
  }
}
