/**
 * What a windowing lane tells the merge about its input partition: how far it has closed and
 * released windows, and whether it is idle. Written after the partials it covers, so a mark
 * that closes a window comes after every partial of that window from the same partition.
 */
export interface SourceMark {
  /** Stream time: windows whose end + grace ≤ it are closed there for good. */
  readonly streamTimeMs: number | null;
  /** The partition released, while idle, the windows whose end + grace ≤ this. */
  readonly releasedThroughMs: number | null;
  /** Idle now: its releases stand until it writes a mark that is not idle. */
  readonly idle: boolean;
  /** The lane's wall clock when it wrote the mark. */
  readonly atMs: number;
}

/** How a partition's mark closes a window ending (with grace) at `closesAtMs`: by stream time, by idling, or not. */
export function closedBy(mark: SourceMark | undefined, closesAtMs: number): 'stream' | 'idle' | undefined {
  if (mark === undefined) return undefined;
  if (mark.streamTimeMs !== null && mark.streamTimeMs >= closesAtMs) return 'stream';
  if (mark.idle && mark.releasedThroughMs !== null && mark.releasedThroughMs >= closesAtMs) return 'idle';
  return undefined;
}
