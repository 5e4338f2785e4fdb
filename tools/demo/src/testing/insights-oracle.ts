import { EVENT_TIME_HEADER, LINEAGE_HEADER } from '@login-stream/schema';
import type { KafkaMessage } from 'kafkajs';

/**
 * What login-insights and login-insights-late must hold for the processed logins a test read
 * back, counted here from scratch, without the service's code: per partition in offset order,
 * stream time is the highest event time so far, and a login whose window (of some size) ends,
 * plus grace, at or before it is late for that size. Valid for runs in which no partition went
 * idle mid-stream (idle releases depend on wall-clock timing no oracle can replay).
 */

export type ProcessedRecord = KafkaMessage & { readonly partition: number };

/** A window result without its emitted_at, which no oracle can know. */
export type ExpectedWindow = Record<string, unknown>;

export interface ExpectedInsights {
  /** By `<size>:<start ISO>`. */
  readonly windows: Map<string, ExpectedWindow>;
  /** By the late login's lineage: the `late.windows` value and `late.behind-ms`. */
  readonly late: Map<string, { windows: string; behindMs: string }>;
  /** Logins counted in windows, per size. */
  readonly counted: Map<string, number>;
}

export interface OracleSize {
  readonly label: string;
  readonly ms: number;
}

const headerText = (m: KafkaMessage, name: string) => {
  const v = m.headers?.[name];
  return (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
};

const iso = (ms: number) => new Date(ms).toISOString();
const sortedText = (xs: string[]) => xs.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

interface Login {
  userId: string;
  deviceType?: string;
  locale?: string;
  ip?: string;
}

function tally(values: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts];
}

function windowResult(size: OracleSize, startMs: number, logins: Login[]): ExpectedWindow {
  const locales = tally(logins.flatMap((l) => (l.locale === undefined ? [] : [l.locale])));
  const counts = locales.map(([, n]) => n);
  const extreme = (n: number) => ({ locales: sortedText(locales.filter(([, c]) => c === n).map(([l]) => l)), logins: n });
  const ipsOf = new Map<string, string[]>();
  for (const l of logins) if (l.ip !== undefined) ipsOf.set(l.userId, [...new Set([...(ipsOf.get(l.userId) ?? []), l.ip])]);
  const perUser = [...ipsOf].map(([user, ips]) => [user, ips.length] as const);
  const maxIps = Math.max(0, ...perUser.map(([, n]) => n));
  return {
    type: 'window',
    window_size: size.label,
    window_start: iso(startMs),
    window_end: iso(startMs + size.ms),
    window_start_ms: startMs,
    window_end_ms: startMs + size.ms,
    logins: logins.length,
    unique_users: new Set(logins.map((l) => l.userId)).size,
    device_types: Object.fromEntries(sortedText([...new Set(logins.flatMap((l) => (l.deviceType === undefined ? [] : [l.deviceType])))]).map((d) => [d, logins.filter((l) => l.deviceType === d).length])),
    locales: { distinct: locales.length, most: counts.length === 0 ? null : extreme(Math.max(...counts)), least: counts.length === 0 ? null : extreme(Math.min(...counts)) },
    ips: {
      distinct: new Set(logins.flatMap((l) => (l.ip === undefined ? [] : [l.ip]))).size,
      users_with_multiple_ips: perUser.filter(([, n]) => n >= 2).length,
      max_per_user: perUser.length === 0 ? null : { ips: maxIps, user_ids: sortedText(perUser.filter(([, n]) => n === maxIps).map(([u]) => u)).slice(0, 10) },
    },
  };
}

export function expectedInsights(processed: readonly ProcessedRecord[], sizes: readonly OracleSize[], graceMs: number): ExpectedInsights {
  const inWindow = new Map<string, { size: OracleSize; startMs: number; logins: Login[] }>();
  const late = new Map<string, { windows: string; behindMs: string }>();
  const byPartition = new Map<number, ProcessedRecord[]>();
  for (const r of processed) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  for (const records of byPartition.values()) {
    records.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    let streamTime = Number.NEGATIVE_INFINITY;
    for (const message of records) {
      const json = JSON.parse(message.value?.toString() ?? '{}') as { user_id: string; device_type?: string; locale?: string; ip?: string };
      const t = Number(headerText(message, EVENT_TIME_HEADER));
      const login: Login = { userId: json.user_id, ...(json.device_type !== undefined && { deviceType: json.device_type }), ...(json.locale !== undefined && { locale: json.locale }), ...(json.ip !== undefined && { ip: json.ip }) };
      const missed: string[] = [];
      for (const size of sizes) {
        const startMs = t - (t % size.ms);
        const key = `${size.label}:${iso(startMs)}`;
        if (startMs + size.ms + graceMs <= streamTime) {
          missed.push(key);
          continue;
        }
        const w = inWindow.get(key) ?? { size, startMs, logins: [] };
        w.logins.push(login);
        inWindow.set(key, w);
      }
      if (missed.length > 0) late.set(headerText(message, LINEAGE_HEADER), { windows: missed.join(','), behindMs: String(Math.max(0, streamTime - t)) });
      streamTime = Math.max(streamTime, t);
    }
  }
  const windows = new Map<string, ExpectedWindow>();
  const counted = new Map<string, number>();
  for (const [key, w] of inWindow) {
    windows.set(key, windowResult(w.size, w.startMs, w.logins));
    counted.set(w.size.label, (counted.get(w.size.label) ?? 0) + w.logins.length);
  }
  return { windows, late, counted };
}
