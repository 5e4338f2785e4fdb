/** How many times each offset of one input partition's checked range was found in the outputs. */
export class OffsetTally {
  private readonly seen: Uint8Array;

  /** Offsets [from, until) are checked; others are ignored. */
  constructor(
    readonly from: number,
    readonly until: number,
  ) {
    this.seen = new Uint8Array(Math.max(0, until - from));
  }

  /** One more output for `offset`; false when the offset is outside the checked range. */
  add(offset: number): boolean {
    const i = offset - this.from;
    if (i < 0 || i >= this.seen.length) return false;
    // Saturates: twice is already a duplicate.
    if (this.seen[i] < 2) this.seen[i]++;
    return true;
  }

  /** Offsets found in no output, and found more than once: how many, and the first `keep` of each. */
  findings(keep = 10): { missing: number; duplicated: number; missingOffsets: number[]; duplicatedOffsets: number[] } {
    let missing = 0;
    let duplicated = 0;
    const missingOffsets: number[] = [];
    const duplicatedOffsets: number[] = [];
    for (let i = 0; i < this.seen.length; i++) {
      const n = this.seen[i];
      if (n === 1) continue;
      if (n === 0) {
        missing++;
        if (missingOffsets.length < keep) missingOffsets.push(this.from + i);
      } else {
        duplicated++;
        if (duplicatedOffsets.length < keep) duplicatedOffsets.push(this.from + i);
      }
    }
    return { missing, duplicated, missingOffsets, duplicatedOffsets };
  }
}
