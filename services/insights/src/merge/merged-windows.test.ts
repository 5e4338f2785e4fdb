import { seededRandom } from '@login-stream/kafka-testing';
import type { WindowRef } from '../windows/partition-windows';
import { addLogin } from '../windows/window-aggregate';
import type { WindowLogin } from '../windows/window-aggregate';
import type { MergeTarget } from './internal-records';
import { MergedWindows } from './merged-windows';
import type { EmittedWindow, MergeRules } from './merged-windows';
import type { SourceMark } from './source-mark';

const MINUTE = { label: '1m', ms: 60_000 };
const HOUR = { label: '1h', ms: 3_600_000 };
const GRACE = 5_000;
const IDLE = 10_000;
const at = (time: string) => Date.parse(`2016-07-11T${time}Z`);
const WALL = Date.parse('2026-12-01T10:00:00Z');
const rules = (sources: number): MergeRules => ({ graceMs: GRACE, idleMs: IDLE, sources });
const minute = (time: string): WindowRef => ({ size: MINUTE, startMs: at(time) });
const SEED = 424_242;

const partialOf = (...users: string[]) => (into: MergeTarget) => {
  for (const userId of users) addLogin(into.partial, { userId });
};
const streamMark = (streamTime: string, atMs = WALL): SourceMark => ({ streamTimeMs: at(streamTime), releasedThroughMs: null, idle: false, atMs });
const idleMark = (streamTime: string | null, atMs: number): SourceMark => ({ streamTimeMs: streamTime === null ? null : at(streamTime), releasedThroughMs: atMs, idle: true, atMs });
const describe_ = (emitted: readonly EmittedWindow[]) => emitted.map((w) => `${w.size.label}@${new Date(w.startMs).toISOString().slice(11, 19)}:${w.summary.logins}/${w.summary.users}`);

describe('the merge of partitions’ partials', () => {
  it('when every partition’s stream time passes a window’s end plus grace, then the window is emitted once, its partials added', () => {
    const merged = new MergedWindows(rules(2));
    merged.addPartial(minute('14:39:00'), partialOf('a', 'b'), 0n);
    expect(merged.mark(0, streamMark('14:40:05'))).toEqual([]);
    merged.addPartial(minute('14:39:00'), partialOf('c'), 1n);
    expect(describe_(merged.mark(1, streamMark('14:40:07')))).toEqual(['1m@14:39:00:3/3']);
    expect(merged.mark(1, streamMark('14:40:09'))).toEqual([]);
    expect(merged.isFinal(minute('14:39:00'))).toBe(true);
    expect(merged.openWindows).toBe(0);
  });

  it('when a partition has no logins in a window, then its stream time alone closes the window there', () => {
    const merged = new MergedWindows(rules(3));
    merged.addPartial(minute('14:39:00'), partialOf('a'), 0n);
    merged.mark(0, streamMark('14:41:00'));
    merged.mark(1, streamMark('14:40:10'));
    expect(describe_(merged.mark(2, streamMark('14:40:05')))).toEqual(['1m@14:39:00:1/1']);
  });

  it('when a window rests on an idle partition, then it is emitted only once that partition has stayed idle for the idle time after all had closed it', () => {
    const merged = new MergedWindows(rules(2));
    merged.addPartial(minute('14:39:00'), partialOf('a'), 0n);
    merged.mark(1, idleMark(null, WALL));
    expect(merged.mark(0, streamMark('14:40:05', WALL + 1_000))).toEqual([]); // all closed at WALL + 1 s
    expect(merged.mark(1, idleMark(null, WALL + 10_999))).toEqual([]);
    expect(describe_(merged.mark(1, idleMark(null, WALL + 11_000)))).toEqual(['1m@14:39:00:1/1']);
  });

  it('when the idle partition wakes before its wait is over, then the window waits for its stream time, and the logins it brings count', () => {
    const merged = new MergedWindows(rules(2));
    merged.addPartial(minute('14:39:00'), partialOf('a'), 0n);
    merged.mark(1, idleMark(null, WALL));
    merged.mark(0, streamMark('14:40:05', WALL + 1_000));
    // Partition 1 wakes with a login for the released window: a straggler the merge still counts.
    expect(merged.isFinal(minute('14:39:00'))).toBe(false);
    merged.addStraggler({ userId: 'b' }, [minute('14:39:00')], 2n);
    expect(merged.mark(1, { streamTimeMs: at('14:39:30'), releasedThroughMs: WALL, idle: false, atMs: WALL + 2_000 })).toEqual([]);
    expect(merged.mark(1, idleMark('14:39:30', WALL + 60_000))).toEqual([]); // idle again: the wait starts over
    expect(describe_(merged.mark(1, streamMark('14:40:05', WALL + 61_000)))).toEqual(['1m@14:39:00:2/2']);
  });

  it('when windows complete out of order, then they are still emitted in order of end plus grace, sizes interleaved', () => {
    const merged = new MergedWindows(rules(1));
    merged.addPartial({ size: HOUR, startMs: at('14:00:00') }, partialOf('a', 'b'), 0n);
    merged.addPartial(minute('14:59:00'), partialOf('a'), 1n);
    merged.addPartial(minute('15:00:00'), partialOf('b'), 2n);
    expect(describe_(merged.mark(0, streamMark('15:01:05')))).toEqual(['1m@14:59:00:1/1', '1h@14:00:00:2/2', '1m@15:00:00:1/1']);
  });

  it(`when the merge is rebuilt from its checkpoint by replaying its input from the oldest open window, then it emits what the one that never stopped emits (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    type Input = { kind: 'partial'; ref: WindowRef; users: string[] } | { kind: 'straggler'; refs: WindowRef[]; login: WindowLogin } | { kind: 'mark'; source: number; mark: SourceMark };
    for (let round = 0; round < 50; round++) {
      const sources = 1 + Math.floor(random() * 3);
      const stream = Array.from({ length: sources }, () => at('14:00:00'));
      let wall = WALL;
      const input: Input[] = [];
      for (let i = 0; i < 300; i++) {
        const source = Math.floor(random() * sources);
        wall += Math.floor(random() * 3_000);
        const r = random();
        if (r < 0.4) {
          input.push({ kind: 'partial', ref: minute(new Date(stream[source] - 60_000 - (stream[source] % 60_000)).toISOString().slice(11, 19)), users: [`s${source}-u${i}`] });
        } else if (r < 0.5) {
          input.push({ kind: 'straggler', refs: [minute(new Date(stream[source] - 120_000 - (stream[source] % 60_000)).toISOString().slice(11, 19))], login: { userId: `s${source}-late${i}` } });
        } else {
          stream[source] += Math.floor(random() * 40_000);
          const idle = random() < 0.2;
          input.push({ kind: 'mark', source, mark: { streamTimeMs: stream[source], releasedThroughMs: idle ? wall : null, idle, atMs: wall } });
        }
      }
      const run = (merged: MergedWindows, part: readonly Input[], first: number) => {
        const out: string[] = [];
        part.forEach((e, i) => {
          const offset = BigInt(first + i);
          if (e.kind === 'partial') {
            if (!merged.isFinal(e.ref)) merged.addPartial(e.ref, partialOf(...e.users), offset);
          } else if (e.kind === 'straggler') merged.addStraggler(e.login, e.refs.filter((ref) => !merged.isFinal(ref)), offset);
          else out.push(...describe_(merged.mark(e.source, e.mark)).map((d) => `${first + i}:${d}`));
        });
        return out;
      };
      const uninterrupted = run(new MergedWindows(rules(sources)), input, 0);
      const stopAt = 50 + Math.floor(random() * 200);
      const before = new MergedWindows(rules(sources));
      const emittedBefore = run(before, input.slice(0, stopAt), 0);
      const from = Number(before.firstOpenOffset() ?? BigInt(stopAt));
      const rebuilt = new MergedWindows(rules(sources), before.checkpoint());
      input.slice(from, stopAt).forEach((e, i) => {
        if (e.kind === 'partial') rebuilt.replayPartial(e.ref, partialOf(...e.users), BigInt(from + i));
        else if (e.kind === 'straggler') rebuilt.replayStraggler(e.login, e.refs, BigInt(from + i));
      });
      expect(rebuilt.openWindows).toBe(before.openWindows);
      // Partial and straggler contents match exactly; the wait of a window resting on an idle
      // partition restarts at the next mark after a restore, so compare what, not when.
      const what = (lines: string[]) => lines.map((l) => l.slice(l.indexOf(':') + 1)).sort();
      expect(what([...emittedBefore, ...run(rebuilt, input.slice(stopAt), stopAt)])).toEqual(what(uninterrupted));
    }
  });
});
