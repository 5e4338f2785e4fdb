/** A tumbling window size, e.g. `1m`: its label as configured and its length. */
export interface WindowSize {
  readonly label: string;
  readonly ms: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
const SIZE = /^([1-9]\d{0,5})(s|m|h)$/;

/** `<n>s`, `<n>m` or `<n>h`; undefined for anything else. */
export function parseWindowSize(text: string): WindowSize | undefined {
  const match = SIZE.exec(text.trim());
  if (match === null) return undefined;
  return { label: `${match[1]}${match[2]}`, ms: Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] };
}

/**
 * The start of the window of `size` holding `eventTimeMs`: windows are aligned to the epoch, so
 * every size that divides a day starts on UTC minute, hour or day boundaries.
 */
export function windowStart(eventTimeMs: number, size: WindowSize): number {
  return Math.floor(eventTimeMs / size.ms) * size.ms;
}
