import { addLogin, emptyPartial } from './window-aggregate';
import type { WindowLogin, WindowPartial } from './window-aggregate';
import { windowStart } from './window-size';
import type { WindowSize } from './window-size';

export interface WindowingRules {
  readonly sizes: readonly WindowSize[];
  /** A window closes once stream time reaches its end plus this. */
  readonly graceMs: number;
}

/** One window of one size. */
export interface WindowRef {
  readonly size: WindowSize;
  readonly startMs: number;
}

/** A window this partition has closed, with its partial aggregate. */
export interface ClosedWindow extends WindowRef {
  readonly partial: WindowPartial;
  /**
   * Closed by idling rather than by stream time: later logins here may still count in it (the
   * merge decides), so the merge needs its users. One closed by stream time takes no more logins
   * here: every later one is late for it.
   */
  readonly released: boolean;
}

/** Where one login goes, size by size. */
export interface LoginPlacement {
  /** Open here: the login counts in them. */
  readonly counted: readonly WindowRef[];
  /** Closed here by stream time: the login is late for their sizes. */
  readonly late: readonly WindowRef[];
  /**
   * Released while this partition was idle, before its stream time reached them: the merge may
   * or may not have emitted them yet, so the merge decides whether the login counts or is late.
   */
  readonly released: readonly WindowRef[];
  /** The partition's stream time, this login included, minus the login's event time. */
  readonly behindMs: number;
}

/** What a partition's windows need to be rebuilt: replaying its input over it gives the open windows. */
export interface WindowsCheckpoint {
  readonly streamTimeMs: number | null;
  readonly releasedThroughMs: number | null;
}

interface OpenWindow {
  readonly partial: WindowPartial;
  /** Input offset of its first login: restore replays from the oldest open window's. */
  readonly firstOffset: bigint;
}

const orNegInf = (ms: number | null) => (ms === null ? Number.NEGATIVE_INFINITY : ms);
const orNull = (ms: number) => (Number.isFinite(ms) ? ms : null);

/**
 * The windows of one input partition. Stream time is the highest event time seen, advanced
 * record by record in offset order; a window closes once stream time ≥ its end + grace. An idle
 * partition releases the windows whose end + grace ≤ the wall clock (closing those it holds)
 * without moving its stream time, so lateness stays judged by the stream's own time: a login
 * for a released window it never reached is not late here, the merge decides (`released`).
 *
 * Both horizons only grow, so a window counts a login iff its end + grace is beyond both when
 * the login arrives, and is open iff that still holds: that is what restore replays on.
 */
export class PartitionWindows {
  private streamTime: number;
  private releasedThrough: number;
  private readonly open: Array<Map<number, OpenWindow>>;
  private closed: ClosedWindow[] = [];

  constructor(
    private readonly rules: WindowingRules,
    from: WindowsCheckpoint = { streamTimeMs: null, releasedThroughMs: null },
  ) {
    this.streamTime = orNegInf(from.streamTimeMs);
    this.releasedThrough = orNegInf(from.releasedThroughMs);
    this.open = rules.sizes.map(() => new Map<number, OpenWindow>());
  }

  get streamTimeMs(): number {
    return this.streamTime;
  }

  get releasedThroughMs(): number {
    return this.releasedThrough;
  }

  /** Open windows, of every size. */
  get openWindows(): number {
    return this.open.reduce((n, windows) => n + windows.size, 0);
  }

  checkpoint(): WindowsCheckpoint {
    return { streamTimeMs: orNull(this.streamTime), releasedThroughMs: orNull(this.releasedThrough) };
  }

  /** The input offset restore must replay from: the oldest open window's first login. */
  firstOpenOffset(): bigint | undefined {
    let first: bigint | undefined;
    for (const windows of this.open) for (const w of windows.values()) if (first === undefined || w.firstOffset < first) first = w.firstOffset;
    return first;
  }

  /**
   * How far stream time has closed windows, one step per size: it changes exactly when stream
   * time passes some window's end + grace, whether or not this partition held that window.
   */
  closingSteps(): string {
    return this.rules.sizes.map((size) => Math.floor((this.streamTime - this.rules.graceMs) / size.ms)).join(',');
  }

  /** Whether releasing through `wallClockMs` would close a window this partition holds. */
  hasWindowsClosingBy(wallClockMs: number): boolean {
    return this.rules.sizes.some((size, i) => {
      for (const startMs of this.open[i].keys()) if (startMs + size.ms + this.rules.graceMs <= wallClockMs) return true;
      return false;
    });
  }

  /** Where a login of this event time goes now; changes nothing. */
  place(eventTimeMs: number): LoginPlacement {
    const counted: WindowRef[] = [];
    const late: WindowRef[] = [];
    const released: WindowRef[] = [];
    for (const size of this.rules.sizes) {
      const startMs = windowStart(eventTimeMs, size);
      const closesAt = startMs + size.ms + this.rules.graceMs;
      const ref = { size, startMs };
      if (closesAt <= this.streamTime) late.push(ref);
      else if (closesAt <= this.releasedThrough) released.push(ref);
      else counted.push(ref);
    }
    return { counted, late, released, behindMs: Math.max(0, this.streamTime - eventTimeMs) };
  }

  /** Applies a placement: counts the login, advances stream time, closes what it passed. */
  add(login: WindowLogin, eventTimeMs: number, offset: string, placement: LoginPlacement): void {
    for (const ref of placement.counted) this.count(ref.size, ref.startMs, login, offset);
    this.advance(eventTimeMs);
  }

  /**
   * The common case without a placement: a login that counts in its window of every size is
   * counted (as `add` would) and true returned; otherwise nothing changes and it is false.
   */
  addIfOnTime(login: WindowLogin, eventTimeMs: number, offset: string): boolean {
    const horizon = Math.max(this.streamTime, this.releasedThrough);
    const { sizes, graceMs } = this.rules;
    for (const size of sizes) if (windowStart(eventTimeMs, size) + size.ms + graceMs <= horizon) return false;
    for (const size of sizes) this.count(size, windowStart(eventTimeMs, size), login, offset);
    this.advance(eventTimeMs);
    return true;
  }

  /** The partition is idle: releases every window whose end + grace ≤ the wall clock. Stream time stays. */
  release(wallClockMs: number): void {
    if (wallClockMs <= this.releasedThrough) return;
    this.releasedThrough = wallClockMs;
    this.closeThrough(wallClockMs, true);
  }

  /** Restore: a login the partition took before its checkpoint, counted again where its window is still open. */
  replay(login: WindowLogin, eventTimeMs: number, offset: string): void {
    const horizon = Math.max(this.streamTime, this.releasedThrough);
    for (const size of this.rules.sizes) {
      const startMs = windowStart(eventTimeMs, size);
      if (startMs + size.ms + this.rules.graceMs > horizon) this.count(size, startMs, login, offset);
    }
  }

  /** The windows closed since the last call, by end + grace, then size. */
  takeClosed(): ClosedWindow[] {
    const closed = this.closed.sort((a, b) => a.startMs + a.size.ms - (b.startMs + b.size.ms) || a.size.ms - b.size.ms);
    this.closed = [];
    return closed;
  }

  private advance(eventTimeMs: number): void {
    if (eventTimeMs <= this.streamTime) return;
    this.streamTime = eventTimeMs;
    this.closeThrough(eventTimeMs, false);
  }

  private count(size: WindowSize, startMs: number, login: WindowLogin, offset: string): void {
    const windows = this.open[this.rules.sizes.indexOf(size)];
    let window = windows.get(startMs);
    if (window === undefined) {
      window = { partial: emptyPartial(), firstOffset: BigInt(offset) };
      windows.set(startMs, window);
    }
    addLogin(window.partial, login);
  }

  private closeThrough(untilMs: number, released: boolean): void {
    this.rules.sizes.forEach((size, i) => {
      for (const [startMs, window] of this.open[i]) {
        if (startMs + size.ms + this.rules.graceMs > untilMs) continue;
        this.open[i].delete(startMs);
        this.closed.push({ size, startMs, partial: window.partial, released });
      }
    });
  }
}
