/** Sleeps shorter than this are skipped: timers are not that precise, and bursts this small are harmless. */
const MIN_SLEEP_MS = 5;
/** After a stall (a slow broker), catch up at most this much instead of bursting. */
const MAX_CATCH_UP_MS = 1_000;

/**
 * Paces a source at `eventsPerSecond`: call once per event; the result is how long to wait
 * before sending it (0 when on or behind schedule).
 */
export function createPacer(eventsPerSecond: number, now: () => number = () => performance.now()): () => number {
  const intervalMs = 1000 / eventsPerSecond;
  let start = now();
  let count = 0;
  return () => {
    const current = now();
    let due = start + count * intervalMs;
    if (current - due > MAX_CATCH_UP_MS) {
      start += current - due - MAX_CATCH_UP_MS;
      due = start + count * intervalMs;
    }
    count++;
    const ahead = due - current;
    return ahead >= MIN_SLEEP_MS ? ahead : 0;
  };
}
