/**
 * A clock for reproducible runs: the first login happens at `startMs` and each next one
 * `1/eventsPerSecond` s later, whatever the wall clock says.
 */
export function simulatedClock(startMs: number, eventsPerSecond: number): () => number {
  const stepMs = 1000 / eventsPerSecond;
  let index = 0;
  return () => startMs + stepMs * index++;
}
