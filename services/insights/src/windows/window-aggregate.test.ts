import { seededRandom } from '@login-stream/kafka-testing';
import { windowInsightsSchema } from '@login-stream/schema';
import type { KafkaMessage } from 'kafkajs';
import { partialRecords, readInternalRecord, summaryRecords } from '../merge/internal-records';
import type { MergeTarget } from '../merge/internal-records';
import { addLogin, addPartialOf, emptyPartial, emptySummary, ipsOf, summarize, windowInsights } from './window-aggregate';
import type { WindowLogin, WindowPartial } from './window-aggregate';

const MINUTE = { label: '1m', ms: 60_000 };
const START = Date.parse('2016-07-11T14:39:00Z');
const EMITTED = Date.parse('2026-12-01T10:00:05.123Z');
const SEED = 20161207;

/**
 * Merges a partition's partial in the way the merge does, through the partials topic's records:
 * as its summary (a window its stream time closed) or with its users (one it released).
 */
function mergeInto(into: MergeTarget, from: WindowPartial, as: 'summary' | 'partial' = 'summary'): void {
  const ref = { size: MINUTE, startMs: START };
  for (const record of as === 'summary' ? summaryRecords('partials', 0, ref, summarize(from)) : partialRecords('partials', 0, ref, from)) {
    const read = readInternalRecord({ ...record, key: Buffer.from(String(record.key)), value: Buffer.from(String(record.value)), offset: '0', timestamp: '0', attributes: 0 } as KafkaMessage);
    if (read.kind !== 'partial') throw new Error(`not a partial: ${JSON.stringify(read)}`);
    read.merge(into);
  }
}

/** The summary of everything merged, as the merge takes it when it emits the window. */
function total(merged: MergeTarget) {
  addPartialOf(merged.summary, merged.partial);
  return merged.summary;
}

const emptyTarget = (): MergeTarget => ({ partial: emptyPartial(), summary: emptySummary() });

function partialOf(logins: readonly WindowLogin[]): WindowPartial {
  const partial = emptyPartial();
  for (const login of logins) addLogin(partial, login);
  return partial;
}

/** The window's insights counted straight from its logins, without partials: the brute force. */
function bruteForce(logins: readonly WindowLogin[]) {
  const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const users = new Set(logins.map((l) => l.userId));
  const devices: Record<string, number> = {};
  const locales = new Map<string, number>();
  const ipsOf = new Map<string, Set<string>>();
  for (const l of logins) {
    if (l.deviceType !== undefined) devices[l.deviceType] = (devices[l.deviceType] ?? 0) + 1;
    if (l.locale !== undefined) locales.set(l.locale, (locales.get(l.locale) ?? 0) + 1);
    if (l.ip !== undefined) ipsOf.set(l.userId, new Set([...(ipsOf.get(l.userId) ?? []), l.ip]));
  }
  const counts = [...locales.values()];
  const most = Math.max(...counts);
  const least = Math.min(...counts);
  const perUser = [...ipsOf.values()].map((s) => s.size);
  const maxIps = Math.max(...perUser);
  return {
    logins: logins.length,
    unique_users: users.size,
    device_types: Object.fromEntries(sorted(Object.keys(devices)).map((d) => [d, devices[d]])),
    locales: {
      distinct: locales.size,
      most: locales.size === 0 ? null : { locales: sorted([...locales].filter(([, n]) => n === most).map(([l]) => l)), logins: most },
      least: locales.size === 0 ? null : { locales: sorted([...locales].filter(([, n]) => n === least).map(([l]) => l)), logins: least },
    },
    ips: {
      distinct: new Set(logins.flatMap((l) => (l.ip === undefined ? [] : [l.ip]))).size,
      users_with_multiple_ips: perUser.filter((n) => n >= 2).length,
      max_per_user: ipsOf.size === 0 ? null : { ips: maxIps, user_ids: sorted([...ipsOf].filter(([, s]) => s.size === maxIps).map(([u]) => u)).slice(0, 10) },
    },
  };
}

describe('window aggregates', () => {
  it('when a window’s logins are counted, then its record has the contract’s shape, times and counts', () => {
    const result = windowInsights(
      MINUTE,
      START,
      summarize(partialOf([
        { userId: 'a', deviceType: 'android', locale: 'CA', ip: '10.0.0.1' },
        { userId: 'a', deviceType: 'android', locale: 'CA', ip: '10.0.0.2' },
        { userId: 'b', deviceType: 'iOS', locale: 'VT', ip: '10.0.0.1' },
        { userId: 'c' },
      ])),
      EMITTED,
    );
    expect(windowInsightsSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      type: 'window',
      window_size: '1m',
      window_start: '2016-07-11T14:39:00.000Z',
      window_end: '2016-07-11T14:40:00.000Z',
      window_start_ms: 1468247940000,
      window_end_ms: 1468248000000,
      logins: 4,
      unique_users: 3,
      device_types: { android: 2, iOS: 1 },
      locales: { distinct: 2, most: { locales: ['CA'], logins: 2 }, least: { locales: ['VT'], logins: 1 } },
      ips: { distinct: 2, users_with_multiple_ips: 1, max_per_user: { ips: 2, user_ids: ['a'] } },
      emitted_at: '2026-12-01T10:00:05.123Z',
    });
  });

  it('when no login carries a locale, an ip or a device type, then those parts are empty as the contract says', () => {
    const result = windowInsights(MINUTE, START, summarize(partialOf([{ userId: 'a' }, { userId: 'b' }])), EMITTED);
    expect(result).toMatchObject({
      logins: 2,
      unique_users: 2,
      device_types: {},
      locales: { distinct: 0, most: null, least: null },
      ips: { distinct: 0, users_with_multiple_ips: 0, max_per_user: null },
    });
  });

  it('when partitions’ partials tie across partitions, then the merged record lists every tied locale and user, sorted, the first 10 users only', () => {
    // Partition 0 and 1 each bring a locale at 2 logins, and users at 2 IPs: ties only the merge sees.
    const p0 = partialOf([
      { userId: 'u-b', locale: 'WY', ip: '1.1.1.1' },
      { userId: 'u-b', locale: 'WY', ip: '1.1.1.2' },
      { userId: 'u-z', locale: 'CA', ip: '1.1.1.3' },
    ]);
    const p1 = partialOf([
      { userId: 'u-a', locale: 'VT', ip: '1.1.1.1' },
      { userId: 'u-a', locale: 'VT', ip: '2.2.2.2' },
      { userId: 'u-y', locale: 'AB', ip: '1.1.1.1' },
      ...Array.from({ length: 12 }, (_, i) => [`m-${String(i).padStart(2, '0')}`, i] as const).flatMap(([u]) => [
        { userId: u, ip: `3.3.${u.length}.1` },
        { userId: u, ip: `3.3.${u}.2` },
      ]),
    ]);
    for (const as of ['summary', 'partial'] as const) {
      const merged = emptyTarget();
      mergeInto(merged, p0, as);
      mergeInto(merged, p1);
      const result = windowInsights(MINUTE, START, total(merged), EMITTED);
      expect(result.locales.most).toEqual({ locales: ['VT', 'WY'], logins: 2 });
      expect(result.locales.least).toEqual({ locales: ['AB', 'CA'], logins: 1 });
      expect(result.ips.max_per_user).toEqual({ ips: 2, user_ids: ['m-00', 'm-01', 'm-02', 'm-03', 'm-04', 'm-05', 'm-06', 'm-07', 'm-08', 'm-09'] });
      expect(result.ips.users_with_multiple_ips).toBe(14);
      // An IP seen on both partitions (1.1.1.1) counts once.
      expect(result.ips.distinct).toBe(new Set([...p0.users.values(), ...p1.users.values()].flatMap((ips) => ipsOf(ips))).size);
    }
  });

  it(`when the merge adds a released partition's partial to the summarized ones, then the window equals a brute-force count of all their logins (seed ${SEED})`, () => {
    const random = seededRandom(SEED + 1);
    for (let round = 0; round < 50; round++) {
      const logins: WindowLogin[] = Array.from({ length: 1 + Math.floor(random() * 200) }, () => ({
        userId: `user-${Math.floor(random() * 30)}`,
        ...(random() < 0.9 && { deviceType: random() < 0.5 ? 'android' : 'iOS' }),
        ...(random() < 0.8 && { locale: random() < 0.5 ? 'CA' : 'VT' }),
        ...(random() < 0.85 && { ip: `10.0.0.${Math.floor(random() * 12)}` }),
      }));
      // Users 0–9 on the summarized partition, the rest on the released one; IPs shared by both.
      const summarized = summarize(partialOf(logins.filter((l) => Number(l.userId.slice(5)) < 10)));
      addPartialOf(summarized, partialOf(logins.filter((l) => Number(l.userId.slice(5)) >= 10)));
      const { type: _t, window_size: _s, window_start: _ws, window_end: _we, window_start_ms: _wsm, window_end_ms: _wem, emitted_at: _e, ...counts } = windowInsights(MINUTE, START, summarized, EMITTED);
      expect(counts).toEqual(bruteForce(logins));
    }
  });

  it('when a user logs in again and again from more IPs than a short list holds, then each distinct IP counts once', () => {
    // 1, 8 (a full list), 9 and 40 distinct IPs, every one of them three times, in turn.
    const logins = [1, 8, 9, 40].flatMap((n) => Array.from({ length: n * 3 }, (_, i) => ({ userId: `u-${n}`, ip: `10.0.0.${i % n}` })));
    const partial = partialOf(logins);
    expect([1, 8, 9, 40].map((n) => ipsOf(partial.users.get(`u-${n}`) ?? null).sort())).toEqual([1, 8, 9, 40].map((n) => Array.from({ length: n }, (_, i) => `10.0.0.${i}`).sort()));
    const { type: _t, window_size: _s, window_start: _ws, window_end: _we, window_start_ms: _wsm, window_end_ms: _wem, emitted_at: _e, ...counts } = windowInsights(MINUTE, START, summarize(partial), EMITTED);
    expect(counts).toEqual(bruteForce(logins));
    expect(counts.ips).toEqual({ distinct: 40, users_with_multiple_ips: 3, max_per_user: { ips: 40, user_ids: ['u-40'] } });
  });

  it(`when random logins are split by user over partitions and their summaries and partials merged, then the record equals a brute-force count of the logins (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    for (let round = 0; round < 200; round++) {
      const users = 1 + Math.floor(random() * 40);
      const logins: WindowLogin[] = Array.from({ length: Math.floor(random() * 300) }, () => ({
        userId: `user-${Math.floor(random() * users)}`,
        ...(random() < 0.9 && { deviceType: pick(['android', 'iOS']) }),
        ...(random() < 0.8 && { locale: pick(['CA', 'VT', 'WY', 'NY', 'RU', 'PT-BR']) }),
        ...(random() < 0.85 && { ip: `10.0.${Math.floor(random() * 4)}.${Math.floor(random() * 8)}` }),
      }));
      const partitions = 1 + Math.floor(random() * 4);
      // As processed-logins is keyed by user_id: each user's logins on one partition.
      const partials = Array.from({ length: partitions }, () => emptyPartial());
      for (const login of logins) addLogin(partials[Number(login.userId.slice(5)) % partitions], login);
      const merged = emptyTarget();
      // Some partitions' stream time closed the window, others released it.
      for (const partial of partials) mergeInto(merged, partial, random() < 0.6 ? 'summary' : 'partial');
      const { type: _t, window_size: _s, window_start: _ws, window_end: _we, window_start_ms: _wsm, window_end_ms: _wem, emitted_at: _e, ...counts } = windowInsights(MINUTE, START, total(merged), EMITTED);
      expect(counts).toEqual(bruteForce(logins));
    }
  });
});
