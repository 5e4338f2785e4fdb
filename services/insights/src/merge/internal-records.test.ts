import { LATE_BEHIND_HEADER, LATE_WINDOWS_HEADER, LINEAGE_HEADER } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';
import { addLogin, emptyPartial, emptySummary, summarize } from '../windows/window-aggregate';
import { lateRecord, MAX_CHUNK_BYTES, markRecord, partialRecords, readInternalRecord, stragglerRecord, summaryRecords, windowKey, windowOfKey } from './internal-records';

const MINUTE = { label: '1m', ms: 60_000 };
const HOUR = { label: '1h', ms: 3_600_000 };
const START = Date.parse('2016-07-11T14:39:00Z');

/** A produced record as a consumer would read it back. */
const consumed = (m: Message, offset = '0'): KafkaMessage =>
  ({
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value: m.value === null || m.value === undefined ? null : Buffer.from(m.value),
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
    offset,
    timestamp: '0',
    attributes: 0,
  });

describe('records of the partials topic', () => {
  it('when a window’s partial is larger than a chunk, then it travels as several records under the bound, and merging them gives the partial back', () => {
    const partial = emptyPartial();
    for (let i = 0; i < 30_000; i++) addLogin(partial, { userId: `user-${i}-${'x'.repeat(20)}`, deviceType: i % 2 ? 'iOS' : 'android', locale: `L${i % 7}`, ...(i % 3 > 0 && { ip: `10.${i % 250}.0.${i % 3}` }) });
    const records = partialRecords('partials', 2, { size: MINUTE, startMs: START }, partial);
    expect(records.length).toBeGreaterThan(1);
    for (const r of records) expect(Buffer.byteLength(String(r.value))).toBeLessThan(MAX_CHUNK_BYTES + 1024);
    const back = { partial: emptyPartial(), summary: emptySummary() };
    for (const r of records) {
      const read = readInternalRecord(consumed(r));
      if (read.kind !== 'partial') throw new Error(read.kind);
      expect([read.source, read.window]).toEqual([2, '1m:2016-07-11T14:39:00.000Z']);
      read.merge(back);
    }
    expect(back).toEqual({ partial, summary: emptySummary() });
  });

  it('when a window’s summary is larger than a chunk, then it travels as several records under the bound, and merging them gives the summary back', () => {
    const partial = emptyPartial();
    for (let i = 0; i < 40_000; i++) addLogin(partial, { userId: `user-${i % 9_000}`, deviceType: i % 2 ? 'iOS' : 'android', locale: `L${i % 7}`, ...(i % 5 > 0 && { ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }) });
    const summary = summarize(partial);
    const records = summaryRecords('partials', 3, { size: HOUR, startMs: Date.parse('2016-07-11T14:00:00Z') }, summary);
    expect(records.length).toBeGreaterThan(1);
    for (const r of records) expect(Buffer.byteLength(String(r.value))).toBeLessThan(MAX_CHUNK_BYTES + 1024);
    const back = { partial: emptyPartial(), summary: emptySummary() };
    for (const r of records) {
      const read = readInternalRecord(consumed(r));
      if (read.kind !== 'partial') throw new Error(read.kind);
      expect([read.source, read.window]).toEqual([3, '1h:2016-07-11T14:00:00.000Z']);
      read.merge(back);
    }
    expect(back).toEqual({ partial: emptyPartial(), summary });
  });

  it('when a mark is written, then it is read back as it was', () => {
    const mark = { streamTimeMs: START, releasedThroughMs: null, idle: false, atMs: 1_700_000_000_000 };
    expect(readInternalRecord(consumed(markRecord('partials', 1, mark)))).toEqual({ kind: 'mark', source: 1, mark });
  });

  it('when a straggler is sent on as late, then it carries the processed bytes and key unchanged, the windows it missed, how far behind, and its source', () => {
    const login = consumed({ key: 'user-1', value: '{"user_id":"user-1"}', headers: { [LINEAGE_HEADER]: 'user-login:0:17', 'login.event-time-ms': String(START) } }, '5');
    const straggler = consumed(stragglerRecord('partials', 0, login, [{ size: HOUR, startMs: Date.parse('2016-07-11T14:00:00Z') }], [{ size: MINUTE, startMs: START }], 90_000));
    const read = readInternalRecord(straggler);
    expect(read).toEqual({ kind: 'straggler', source: 0, released: ['1h:2016-07-11T14:00:00.000Z'], late: ['1m:2016-07-11T14:39:00.000Z'], behindMs: '90000' });
    const late = lateRecord('late', straggler, ['1m:2016-07-11T14:39:00.000Z', '1h:2016-07-11T14:00:00.000Z'], '90000');
    expect(late.key?.toString()).toBe('user-1');
    expect(late.value?.toString()).toBe('{"user_id":"user-1"}');
    expect(Object.fromEntries(Object.entries(late.headers ?? {}).map(([k, v]) => [k, String(v)]))).toEqual({
      [LATE_WINDOWS_HEADER]: '1m:2016-07-11T14:39:00.000Z,1h:2016-07-11T14:00:00.000Z',
      [LATE_BEHIND_HEADER]: '90000',
      [LINEAGE_HEADER]: 'user-login:0:17',
    });
  });

  it('when a record is not one of the stages’, then it is unreadable, with why', () => {
    expect(readInternalRecord(consumed({ key: 'x', value: 'nope', headers: { 'insights.kind': 'mark', 'insights.source': '0' } })).kind).toBe('unreadable');
    expect(readInternalRecord(consumed({ key: 'x', value: '{}' })).kind).toBe('unreadable');
    expect(readInternalRecord(consumed({ key: 'x', value: 'null', headers: { 'insights.kind': 'summary', 'insights.source': '0' } }))).toEqual({ kind: 'unreadable', why: 'its value is not a JSON object' });
  });

  it.each([
    ['a negative count', { users: -1 }],
    ['a count that is not a number', { device_types: { iOS: '3' } }],
    ['more than 10 listed users', { max_ip_users: Array.from({ length: 11 }, (_, i) => `u${i}`) }],
    ['an ip that is not a string', { ips: ['1.1.1.1', 7] }],
  ])('when a summary has %s, then it is unreadable rather than merged', (_what, change) => {
    const [record] = summaryRecords('partials', 0, { size: MINUTE, startMs: START }, summarize(emptyPartial()));
    const tampered = { ...record, value: JSON.stringify({ ...JSON.parse(String(record.value)), ...change }) };
    expect(readInternalRecord(consumed(tampered)).kind).toBe('unreadable');
  });

  it('when a window key is read back, then it names the same window, if its size is configured', () => {
    const ref = { size: HOUR, startMs: Date.parse('2016-07-11T14:00:00Z') };
    expect(windowOfKey(windowKey(ref), [MINUTE, HOUR])).toEqual(ref);
    expect(windowOfKey(windowKey(ref), [MINUTE])).toBeUndefined();
  });
});
