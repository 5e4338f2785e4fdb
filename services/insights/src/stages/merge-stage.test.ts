import type { BatchHandler, OutputRecord } from '@login-stream/exactly-once';
import { createLogger } from '@login-stream/logger';
import { EVENT_TIME_HEADER, LATE_WINDOWS_HEADER, LINEAGE_HEADER, windowInsightsSchema } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';
import { markRecord, partialRecords, stragglerRecord } from '../merge/internal-records';
import type { SourceMark } from '../merge/source-mark';
import { InsightsStats } from '../stats';
import { addLogin, emptyPartial } from '../windows/window-aggregate';
import { createMergeHandler } from './merge-stage';

const logger = createLogger({ service: 'merge-test', level: 'silent' });
const at = (time: string) => Date.parse(`2016-07-11T${time}Z`);
const WALL = Date.parse('2026-12-01T10:00:00Z');
const MINUTE = { label: '1m', ms: 60_000 };
const HOUR = { label: '1h', ms: 3_600_000 };
const topics = { partials: 'partials', results: 'results', late: 'late' };

let offset = 0;
const consumed = (m: Message): KafkaMessage =>
  ({
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value: m.value === null || m.value === undefined ? null : Buffer.from(m.value),
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
    offset: String(offset++),
    timestamp: '0',
    attributes: 0,
  });

const partialOf = (source: number, startTime: string, ...users: string[]) => {
  const partial = emptyPartial();
  for (const userId of users) addLogin(partial, { userId });
  return partialRecords(topics.partials, source, { size: MINUTE, startMs: at(startTime) }, partial).map(consumed);
};
const mark = (source: number, streamTime: string): KafkaMessage => consumed(markRecord(topics.partials, source, { streamTimeMs: at(streamTime), releasedThroughMs: null, idle: false, atMs: WALL } satisfies SourceMark));

function run(work: BatchHandler, messages: readonly KafkaMessage[]): OutputRecord[] {
  const outputs = messages.flatMap((m) => {
    const outcome = work.record(m);
    if (!('outputs' in outcome)) return [];
    outcome.accept?.();
    return outcome.outputs;
  });
  work.committed();
  return outputs;
}

function handler(readPartials: (from: string, until: string, onMessage: (m: KafkaMessage) => void) => Promise<void> = async () => undefined) {
  return createMergeHandler({ topics, sizes: [MINUTE, HOUR], rules: { graceMs: 5_000, idleMs: 10_000, sources: 2 }, readPartials, stats: new InsightsStats(), logger, clock: () => WALL });
}

describe('the merge stage’s handler', () => {
  it('when both partitions’ partials and marks closing a window arrive, then its result is written once, keyed by window, from both partials', async () => {
    const h = handler();
    const [merged] = await h.restore([0], [{ offset: undefined, metadata: undefined }]);
    const outputs = run(h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() }), [...partialOf(0, '14:39:00', 'a', 'b'), mark(0, '14:40:06'), ...partialOf(1, '14:39:00', 'c'), mark(1, '14:40:05'), mark(1, '14:40:09')]);
    expect(outputs.map((r) => [r.topic, String(r.key)])).toEqual([['results', '1m:2016-07-11T14:39:00.000Z']]);
    expect(windowInsightsSchema.parse(JSON.parse(String(outputs[0].value)))).toMatchObject({ logins: 3, unique_users: 3, emitted_at: '2026-12-01T10:00:00.000Z' });
  });

  it('when a straggler comes for a window already emitted, then it goes to the late topic with that window and the ones its partition found it late for', async () => {
    const h = handler();
    const [merged] = await h.restore([0], [{ offset: undefined, metadata: undefined }]);
    run(h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() }), [...partialOf(0, '14:39:00', 'a'), mark(0, '14:40:06'), mark(1, '14:40:06')]);
    const login = consumed({ key: 'z', value: JSON.stringify({ user_id: 'z' }), headers: { [EVENT_TIME_HEADER]: String(at('14:39:30')), [LINEAGE_HEADER]: 'user-login:1:9' } });
    const straggler = consumed(stragglerRecord(topics.partials, 1, login, [{ size: MINUTE, startMs: at('14:39:00') }, { size: HOUR, startMs: at('14:00:00') }], [], 36_000));
    const outputs = run(h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() }), [straggler]);
    expect(outputs.map((r) => [r.topic, String(r.key), String(r.value), String((r.headers as Record<string, unknown>)[LATE_WINDOWS_HEADER])])).toEqual([['late', 'z', '{"user_id":"z"}', '1m:2016-07-11T14:39:00.000Z']]);
    // It still counts in its hour, which is open.
    expect(merged.openWindows).toBe(1);
  });

  it('when a partial cannot be merged (its window already emitted, or of a size no longer configured), then it is dead-lettered with why, not dropped', async () => {
    const h = handler();
    const [merged] = await h.restore([0], [{ offset: undefined, metadata: undefined }]);
    run(h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() }), [...partialOf(0, '14:39:00', 'a'), mark(0, '14:40:06'), mark(1, '14:40:06')]);
    const again = partialOf(1, '14:39:00', 'b')[0];
    const unknownSize = consumed({ ...partialRecords(topics.partials, 0, { size: { label: '5m', ms: 300_000 }, startMs: at('14:35:00') }, emptyPartial())[0] });
    const work = h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() });
    expect([work.record(again), work.record(unknownSize)]).toEqual([
      { rejections: [expect.objectContaining({ code: 'PROCESSING_ERROR', message: expect.stringContaining('already emitted') })] },
      { rejections: [expect.objectContaining({ code: 'PROCESSING_ERROR', message: expect.stringContaining('no longer configured') })] },
    ]);
  });

  it('when the merge is restored from its checkpoint, then the partials from the checkpoint’s offset are replayed into the windows not yet final, and those complete as before', async () => {
    // 14:40 is final as of the checkpoint (its end + grace, 14:41:05, is covered); 14:41 is not.
    const replay = [...partialOf(0, '14:40:00', 'x'), ...partialOf(0, '14:41:00', 'a'), ...partialOf(1, '14:41:00', 'b')];
    const reads: string[] = [];
    const h = handler(async (from: string, until: string, onMessage: (m: KafkaMessage) => void) => {
      reads.push(`${from}-${until}`);
      replay.forEach(onMessage);
    });
    const metadata = JSON.stringify({ v: 1, emitted_through_ms: at('14:41:05'), marks: [[0, at('14:41:30'), null, 0, WALL]], replay_from: replay[0].offset });
    const [merged] = await h.restore([0], [{ offset: String(offset), metadata }]);
    expect(reads).toEqual([`${replay[0].offset}-${offset}`]);
    expect(merged.openWindows).toBe(1);
    const outputs = run(h.batch(merged, { partition: 0, now: new Date(WALL).toISOString() }), [mark(0, '14:42:05'), mark(1, '14:42:05')]);
    expect(outputs.map((r) => String(r.key))).toEqual(['1m:2016-07-11T14:41:00.000Z']);
    expect(JSON.parse(String(outputs[0].value))).toMatchObject({ logins: 2, unique_users: 2 });
  });
});
