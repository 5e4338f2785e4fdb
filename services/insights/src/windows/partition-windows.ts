import { addLogin, emptyPartial } from './window-aggregate';
import type { WindowLogin, WindowPartial } from './window-aggregate';
import { windowStart } from './window-size';
import type { WindowSize } from './window-size';

export interface WindowingRules {
  readonly sizes: readonly WindowSize[];
  /** A window closes once stream time reaches its end plus this. */
  readonly graceMs: number;
}

/** A window this partition has closed, with its partial aggregate. */
export interface ClosedWindow {
  readonly size: WindowSize;
  readonly startMs: number;
  readonly partial: WindowPartial;
}

/** What one login did on its partition. */
export interface LoginOutcome {
  /** The windows it missed, already closed here: it is late for their sizes. */
  readonly lateFor: ReadonlyArray<{ readonly size: WindowSize; readonly startMs: number }>;
  /** The partition's stream time minus the login's event time (≥ 0 when behind). */
  readonly behindMs: number;
  /** Windows its arrival closed (stream time passed their end plus grace), oldest first. */
  readonly closed: readonly ClosedWindow[];
}

interface SizeState {
  readonly size: WindowSize;
  readonly open: Map<number, WindowPartial>;
  /** Windows closed while the partition was idle, before stream time reached them. */
  readonly closedIdle: Set<number>;
}

/**
 * The windows of one input partition. Stream time is the highest event time seen, advanced
 * record by record in offset order; a window closes once stream time ≥ its end + grace, and a
 * login whose window has closed here is late for that size (it still counts in the windows of
 * other sizes that are open). An idle partition closes its open windows whose end + grace ≤ the
 * wall clock without moving its stream time, so a window it never opened is not made late by
 * waiting: lateness rests on the stream's own time.
 */
export class PartitionWindows {
  private streamTime = Number.NEGATIVE_INFINITY;
  private readonly sizes: SizeState[];

  constructor(private readonly rules: WindowingRules) {
    this.sizes = rules.sizes.map((size) => ({ size, open: new Map(), closedIdle: new Set() }));
  }

  get streamTimeMs(): number {
    return this.streamTime;
  }

  /** Open windows, of every size. */
  get openWindows(): number {
    return this.sizes.reduce((n, s) => n + s.open.size, 0);
  }

  add(login: WindowLogin, eventTimeMs: number): LoginOutcome {
    const lateFor: Array<{ size: WindowSize; startMs: number }> = [];
    for (const state of this.sizes) {
      const startMs = windowStart(eventTimeMs, state.size);
      if (this.isClosed(state, startMs)) {
        lateFor.push({ size: state.size, startMs });
        continue;
      }
      let partial = state.open.get(startMs);
      if (partial === undefined) {
        partial = emptyPartial();
        state.open.set(startMs, partial);
      }
      addLogin(partial, login);
    }
    const behindMs = Math.max(0, this.streamTime - eventTimeMs);
    if (eventTimeMs > this.streamTime) this.streamTime = eventTimeMs;
    return { lateFor, behindMs, closed: this.close(this.streamTime, true) };
  }

  /** The partition is idle: closes its open windows whose end + grace ≤ the wall clock; stream time stays. */
  closeIdle(wallClockMs: number): ClosedWindow[] {
    return this.close(wallClockMs, false);
  }

  private isClosed(state: SizeState, startMs: number): boolean {
    return startMs + state.size.ms + this.rules.graceMs <= this.streamTime || state.closedIdle.has(startMs);
  }

  private close(untilMs: number, byStreamTime: boolean): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const state of this.sizes) {
      for (const [startMs, partial] of state.open) {
        if (startMs + state.size.ms + this.rules.graceMs > untilMs) continue;
        state.open.delete(startMs);
        if (!byStreamTime) state.closedIdle.add(startMs);
        closed.push({ size: state.size, startMs, partial });
      }
      // Once stream time passes a window closed while idle, stream time alone keeps it closed.
      for (const startMs of state.closedIdle) if (startMs + state.size.ms + this.rules.graceMs <= this.streamTime) state.closedIdle.delete(startMs);
    }
    return closed.sort((a, b) => a.startMs + a.size.ms - (b.startMs + b.size.ms) || a.size.ms - b.size.ms);
  }
}
