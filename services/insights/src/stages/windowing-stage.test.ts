import type { BatchHandler, OutputRecord, RecordOutcome } from '@login-stream/exactly-once';
import { createLogger } from '@login-stream/logger';
import { EVENT_TIME_HEADER, LATE_BEHIND_HEADER, LATE_WINDOWS_HEADER, LINEAGE_HEADER } from '@login-stream/schema';
import type { KafkaMessage } from 'kafkajs';
import { InsightsStats } from '../stats';
import { decodeWindowingCheckpoint } from './checkpoints';
import { createWindowingHandler } from './windowing-stage';
import type { ReadInput, WindowingLane } from './windowing-stage';

const logger = createLogger({ service: 'windowing-test', level: 'silent' });
const at = (time: string) => Date.parse(`2016-07-11T${time}Z`);
const WALL = Date.parse('2026-12-01T10:00:00Z');
const topics = { input: 'processed', partials: 'partials', late: 'late' };
const settings = { rules: { sizes: [{ label: '1m', ms: 60_000 }, { label: '1h', ms: 3_600_000 }], graceMs: 5_000 }, idleMs: 10_000, idleMarkIntervalMs: 5_000 };

const login = (offset: number, userId: string, time: string): KafkaMessage => ({
  key: Buffer.from(userId),
  value: Buffer.from(JSON.stringify({ user_id: userId, device_type: 'iOS', locale: 'CA', ip: '10.0.0.1' })),
  headers: { [EVENT_TIME_HEADER]: Buffer.from(String(at(time))), [LINEAGE_HEADER]: Buffer.from(`user-login:0:${offset}`) },
  offset: String(offset),
  timestamp: '0',
  attributes: 0,
});

const kindOf = (r: OutputRecord) => ((r.headers as Record<string, string> | undefined)?.['insights.kind'] ?? r.topic);
const text = (r: OutputRecord, name: string) => String((r.headers as Record<string, unknown>)[name]);

function handlerWith(readInput: ReadInput = async () => undefined) {
  return createWindowingHandler({ topics, settings, readInput, stats: new InsightsStats(), logger });
}

/** Runs a batch as the stage does: every record, then finish; the transaction (committing the offset after the last record) is taken as committed. */
function runBatch(work: BatchHandler, messages: readonly KafkaMessage[]): { outcomes: RecordOutcome[]; finished: OutputRecord[]; checkpoint: string | undefined } {
  const outcomes = messages.map((m) => {
    const outcome = work.record(m);
    if ('outputs' in outcome) outcome.accept?.();
    return outcome;
  });
  const finished = [...(work.finish?.() ?? [])];
  const checkpoint = work.checkpoint?.(String(Number(messages[messages.length - 1]?.offset ?? -1) + 1));
  work.committed();
  return { outcomes, finished, checkpoint };
}

async function freshLane(handler = handlerWith()): Promise<WindowingLane> {
  const [lane] = await handler.restore([0], [{ offset: undefined, metadata: undefined }]);
  return lane;
}

describe('the windowing stage’s handler', () => {
  it('when a batch’s logins close a window by stream time, then the batch writes its summary (no later login can join its users), then a mark, and checkpoints where the oldest open window starts', async () => {
    const handler = handlerWith();
    const lane = await freshLane(handler);
    const { outcomes, finished, checkpoint } = runBatch(handler.batch(lane, { partition: 0, now: new Date(WALL).toISOString() }), [
      login(0, 'a', '14:39:10'),
      login(1, 'b', '14:39:50'),
      login(2, 'c', '14:40:06'),
    ]);
    expect(outcomes.flatMap((o) => ('outputs' in o ? o.outputs : []))).toEqual([]);
    expect(finished.map(kindOf)).toEqual(['summary', 'mark']);
    expect(String(finished[0].key)).toBe('1m:2016-07-11T14:39:00.000Z');
    expect(JSON.parse(String(finished[1].value))).toEqual({ stream_time_ms: at('14:40:06'), released_through_ms: null, idle: false, at_ms: WALL });
    // The 1h window, open since offset 0, is where a restore starts.
    expect(decodeWindowingCheckpoint(checkpoint ?? '')).toEqual({ streamTimeMs: at('14:40:06'), releasedThroughMs: null, idle: false, replayFrom: '0' });
  });

  it('when a login is late for its minute, then it goes to the late topic as it was, with the windows it missed and how far behind', async () => {
    const handler = handlerWith();
    const lane = await freshLane(handler);
    const late = login(1, 'b', '14:38:30');
    const { outcomes } = runBatch(handler.batch(lane, { partition: 0, now: new Date(WALL).toISOString() }), [login(0, 'a', '14:40:00'), late]);
    const [record] = 'outputs' in outcomes[1] ? outcomes[1].outputs : [];
    expect(record.topic).toBe('late');
    expect([String(record.key), String(record.value)]).toEqual([String(late.key), String(late.value)]);
    expect([text(record, LATE_WINDOWS_HEADER), text(record, LATE_BEHIND_HEADER), text(record, LINEAGE_HEADER)]).toEqual(['1m:2016-07-11T14:38:00.000Z', '90000', 'user-login:0:1']);
  });

  it('when the lane is caught up and quiet for the idle time, then a tick releases the due windows with their users (stragglers may join them) and marks it idle; until then, or with input left, ticks write nothing', async () => {
    const handler = handlerWith();
    const lane = await freshLane(handler);
    runBatch(handler.batch(lane, { partition: 0, now: new Date(WALL).toISOString() }), [login(0, 'a', '14:39:10')]);
    const tick = (nowMs: number, caughtUp = true) => handler.tick?.(lane, { partition: 0, nowMs, caughtUp, lastInputAtMs: WALL, position: '1' });
    expect(tick(WALL + 9_999)).toBeUndefined();
    expect(tick(WALL + 60_000, false)).toBeUndefined();
    const work = tick(WALL + 10_000);
    expect(work?.outputs.map(kindOf)).toEqual(['partial', 'partial', 'mark']);
    expect(JSON.parse(String(work?.outputs[2].value))).toMatchObject({ idle: true, released_through_ms: WALL + 10_000, stream_time_ms: at('14:39:10') });
    expect(decodeWindowingCheckpoint(work?.checkpoint ?? '')).toMatchObject({ idle: true, replayFrom: '1' });
    work?.committed();
    // Idle: a mark again only after the interval.
    expect(tick(WALL + 12_000)).toBeUndefined();
    expect(tick(WALL + 15_000)?.outputs.map(kindOf)).toEqual(['mark']);
  });

  it('when a login comes for a window its idle partition released, then it goes to the merge as a straggler, and the lane wakes with a mark', async () => {
    const handler = handlerWith();
    const lane = await freshLane(handler);
    handler.tick?.(lane, { partition: 0, nowMs: WALL, caughtUp: true, lastInputAtMs: 0, position: '0' })?.committed();
    const { outcomes, finished } = runBatch(handler.batch(lane, { partition: 0, now: new Date(WALL + 1).toISOString() }), [login(0, 'a', '14:39:10')]);
    const [record] = 'outputs' in outcomes[0] ? outcomes[0].outputs : [];
    expect([record.topic, kindOf(record), text(record, 'insights.released')]).toEqual(['partials', 'straggler', '1m:2016-07-11T14:39:00.000Z,1h:2016-07-11T14:00:00.000Z']);
    expect(finished.map(kindOf)).toEqual(['mark']);
    expect(JSON.parse(String(finished[0].value))).toMatchObject({ idle: false, released_through_ms: WALL });
  });

  it('when a lane is restored from its checkpoint, then the input from the checkpoint’s offset to the committed one is replayed into the windows still open', async () => {
    const reads: string[] = [];
    const handler = handlerWith(async (partition, from, until, onMessage) => {
      reads.push(`${partition}:${from}-${until}`);
      for (const m of [login(4, 'a', '14:39:50'), login(5, 'b', '14:40:01')]) onMessage(m);
    });
    const metadata = JSON.stringify({ v: 1, stream_time_ms: at('14:40:01'), released_through_ms: null, idle: false, replay_from: '4' });
    const [lane] = await handler.restore([2], [{ offset: '6', metadata }]);
    expect(reads).toEqual(['2:4-6']);
    expect(lane.windows.openWindows).toBe(3); // 1m@14:39, 1m@14:40, 1h@14:00
    const { finished } = runBatch(handler.batch(lane, { partition: 2, now: new Date(WALL).toISOString() }), [login(6, 'c', '14:41:10')]);
    expect(finished.filter((r) => kindOf(r) === 'summary').map((r) => [String(r.key), (JSON.parse(String(r.value)) as { logins: number }).logins])).toEqual([
      ['1m:2016-07-11T14:39:00.000Z', 1],
      ['1m:2016-07-11T14:40:00.000Z', 1],
    ]);
  });

  it('when a checkpoint cannot be read, then restore fails with STATE_RESTORE_FAILED', async () => {
    await expect(handlerWith().restore([0], [{ offset: '3', metadata: '{"v":1}' }])).rejects.toMatchObject({ code: 'STATE_RESTORE_FAILED' });
  });
});
