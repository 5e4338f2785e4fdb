import type { WindowRef } from '../windows/partition-windows';
import { addLogin, addPartialOf, emptyPartial, emptySummary } from '../windows/window-aggregate';
import type { WindowLogin, WindowPartial, WindowSummary } from '../windows/window-aggregate';
import type { MergeTarget } from './internal-records';
import { closedBy } from './source-mark';
import type { SourceMark } from './source-mark';

export interface MergeRules {
  readonly graceMs: number;
  /** How long a partition must stay idle after all closed a window before its release is trusted. */
  readonly idleMs: number;
  /** The partitions of processed-logins: every one must close a window before it is emitted. */
  readonly sources: number;
}

/** A window complete on every partition, with the summary of all its logins. */
export interface EmittedWindow extends WindowRef {
  readonly summary: WindowSummary;
}

/** What the merge needs to be rebuilt: replaying its input over it gives the open windows. */
export interface MergeCheckpoint {
  /** Every window whose end + grace ≤ this has been emitted, or had no logins when its turn came. */
  readonly emittedThroughMs: number | null;
  readonly marks: ReadonlyMap<number, SourceMark>;
}

interface MergingWindow extends WindowRef, MergeTarget {
  readonly closesAtMs: number;
  /** The partials of the partitions that released it, and their stragglers. */
  readonly partial: WindowPartial;
  /** The summaries of the partitions whose stream time closed it. */
  readonly summary: WindowSummary;
  readonly firstOffset: bigint;
  /** When (by the wall clock of the mark that showed it) every partition had closed it; reset if one reopens it. */
  allClosedAtMs: number | undefined;
}

const keyOf = (ref: WindowRef) => `${ref.size.label}:${ref.startMs}`;

/**
 * The merge of every partition's partials into global window results. A window is emitted once
 * every partition has closed it: by stream time, or by idling. A close that rests on an idle
 * partition waits until that partition has stayed idle for `idleMs` past the moment all had
 * closed it, so a partition that wakes meanwhile still counts its logins there. Windows go out
 * in order of end + grace; `emittedThrough` then says which windows are final, and a login the
 * merge receives for one of those (a partition's straggler) is late.
 *
 * Decisions rest only on the records in the order they arrive, never on the merge's own clock,
 * so replaying them gives the same state.
 */
export class MergedWindows {
  private emittedThrough: number;
  private readonly marks: Map<number, SourceMark>;
  private readonly open = new Map<string, MergingWindow>();

  constructor(
    private readonly rules: MergeRules,
    from: MergeCheckpoint = { emittedThroughMs: null, marks: new Map() },
  ) {
    this.emittedThrough = from.emittedThroughMs ?? Number.NEGATIVE_INFINITY;
    this.marks = new Map(from.marks);
  }

  get openWindows(): number {
    return this.open.size;
  }

  checkpoint(): MergeCheckpoint {
    return { emittedThroughMs: Number.isFinite(this.emittedThrough) ? this.emittedThrough : null, marks: new Map(this.marks) };
  }

  firstOpenOffset(): bigint | undefined {
    let first: bigint | undefined;
    for (const w of this.open.values()) if (first === undefined || w.firstOffset < first) first = w.firstOffset;
    return first;
  }

  isFinal(ref: WindowRef): boolean {
    return this.closesAt(ref) <= this.emittedThrough;
  }

  /** A partition's partial or summary of a window it closed (or one chunk of it): merged in. */
  addPartial(ref: WindowRef, merge: (into: MergeTarget) => void, offset: bigint): void {
    merge(this.windowFor(ref, offset));
  }

  /** A straggler counted in the released windows that are not final yet. */
  addStraggler(login: WindowLogin, counted: readonly WindowRef[], offset: bigint): void {
    for (const ref of counted) addLogin(this.windowFor(ref, offset).partial, login);
  }

  /** A partition's new mark; the windows it completes, oldest first, which leave the merge. */
  mark(source: number, mark: SourceMark): EmittedWindow[] {
    this.marks.set(source, mark);
    const emitted: EmittedWindow[] = [];
    let blocked = false;
    const byClose = [...this.open.values()].sort((a, b) => a.closesAtMs - b.closesAtMs || a.size.ms - b.size.ms);
    for (const window of byClose) {
      const idleClosers: SourceMark[] = [];
      let allClosed = true;
      for (let p = 0; p < this.rules.sources && allClosed; p++) {
        const m = this.marks.get(p);
        const by = closedBy(m, window.closesAtMs);
        if (by === undefined) allClosed = false;
        else if (by === 'idle') idleClosers.push(m as SourceMark);
      }
      if (!allClosed) {
        window.allClosedAtMs = undefined;
        blocked = true;
        continue;
      }
      window.allClosedAtMs ??= mark.atMs;
      const since = window.allClosedAtMs;
      if (!blocked && idleClosers.every((m) => m.atMs >= since + this.rules.idleMs)) {
        this.open.delete(keyOf(window));
        this.emittedThrough = Math.max(this.emittedThrough, window.closesAtMs);
        // Users never span partitions, so the released partitions' users add to the summarized ones.
        addPartialOf(window.summary, window.partial);
        emitted.push({ size: window.size, startMs: window.startMs, summary: window.summary });
      } else blocked = true;
    }
    return emitted;
  }

  /** Restore: a partial taken before the checkpoint, merged again unless its window is final. */
  replayPartial(ref: WindowRef, merge: (into: MergeTarget) => void, offset: bigint): void {
    if (!this.isFinal(ref)) this.addPartial(ref, merge, offset);
  }

  /** Restore: a straggler taken before the checkpoint, counted again in its windows not final yet. */
  replayStraggler(login: WindowLogin, released: readonly WindowRef[], offset: bigint): void {
    this.addStraggler(
      login,
      released.filter((ref) => !this.isFinal(ref)),
      offset,
    );
  }

  private closesAt(ref: WindowRef): number {
    return ref.startMs + ref.size.ms + this.rules.graceMs;
  }

  private windowFor(ref: WindowRef, offset: bigint): MergingWindow {
    const key = keyOf(ref);
    let window = this.open.get(key);
    if (window === undefined) {
      window = { size: ref.size, startMs: ref.startMs, closesAtMs: this.closesAt(ref), partial: emptyPartial(), summary: emptySummary(), firstOffset: offset, allClosedAtMs: undefined };
      this.open.set(key, window);
    }
    return window;
  }
}
