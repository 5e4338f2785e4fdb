import { formatIsoUtc, formatLateWindows, LATE_BEHIND_HEADER, LATE_WINDOWS_HEADER, LINEAGE_HEADER, parseLateWindows, splitWindowInsightsKey, windowInsightsKey } from '@login-stream/schema';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { WindowRef } from '../windows/partition-windows';
import { addCount, addSummary, addUserIp, ipsOf, MAX_LISTED_USERS } from '../windows/window-aggregate';
import type { WindowPartial, WindowSummary } from '../windows/window-aggregate';
import type { WindowSize } from '../windows/window-size';
import type { SourceMark } from './source-mark';

/**
 * The records of the internal partials topic, which the windowing lanes write and the merge
 * reads: a window one partition closed, in chunks (a summary if its stream time closed it, its
 * partial with the users if it released it while idle), a straggler (a login for a window its
 * partition had released), or a mark of the partition's progress. One topic with
 * one partition, so the merge sees each partition's records in the order they were written.
 */
export const KIND_HEADER = 'insights.kind';
const SOURCE_HEADER = 'insights.source';
const RELEASED_HEADER = 'insights.released';

/** A partial chunk stays well under any sane max.message.bytes (counted in UTF-16 units, ≤ 3 bytes each). */
export const MAX_CHUNK_BYTES = 256 * 1024;

/** Where the merge gathers a window: the partials of partitions that released it, the summaries of the others. */
export interface MergeTarget {
  readonly partial: WindowPartial;
  readonly summary: WindowSummary;
}

export type InternalRecord =
  | { readonly kind: 'partial'; readonly source: number; readonly window: string; readonly merge: (into: MergeTarget) => void }
  | { readonly kind: 'straggler'; readonly source: number; readonly released: readonly string[]; readonly late: readonly string[]; readonly behindMs: string }
  | { readonly kind: 'mark'; readonly source: number; readonly mark: SourceMark }
  | { readonly kind: 'unreadable'; readonly why: string };

export function windowKey(ref: WindowRef): string {
  return windowInsightsKey(ref.size.label, formatIsoUtc(ref.startMs));
}

/** The window a key names, if its size is one of `sizes`. */
export function windowOfKey(key: string, sizes: readonly WindowSize[]): WindowRef | undefined {
  const { windowSize, windowStart } = splitWindowInsightsKey(key);
  const size = sizes.find((s) => s.label === windowSize);
  const startMs = Date.parse(windowStart);
  return size === undefined || Number.isNaN(startMs) ? undefined : { size, startMs };
}

interface Counts {
  readonly logins: number;
  readonly device_types: Record<string, number>;
  readonly locales: Record<string, number>;
}

/**
 * A window's records of at most ~MAX_CHUNK_BYTES: entries (each a few items and its size in
 * bytes) spread over chunks, the counts on the first only, so that merging every chunk adds them
 * once. Entries are written item by item, with nothing allocated per entry: a window has one per
 * user or IP.
 */
class WindowChunks<C> {
  private readonly key: string;
  private readonly headers: IHeaders;
  private readonly records: Message[] = [];
  private items: Array<string | number> = [];
  private bytes = 0;

  constructor(
    private readonly topic: string,
    kind: string,
    source: number,
    ref: WindowRef,
    private readonly chunk: (first: boolean, items: Array<string | number>) => C,
  ) {
    this.key = windowKey(ref);
    this.headers = { [KIND_HEADER]: kind, [SOURCE_HEADER]: String(source) };
  }

  /** Starts an entry of `bytes`, in a new chunk if it does not fit in this one; its items follow. */
  entry(bytes: number): void {
    if (this.bytes > 0 && this.bytes + bytes > MAX_CHUNK_BYTES) this.flush();
    this.bytes += bytes;
  }

  item(item: string | number): void {
    this.items.push(item);
  }

  /** Every chunk, at least one. */
  done(): Message[] {
    this.flush();
    return this.records;
  }

  private flush(): void {
    this.records.push({ topic: this.topic, key: this.key, value: JSON.stringify(this.chunk(this.records.length === 0, this.items)), headers: this.headers, partition: 0 } as Message);
    this.items = [];
    this.bytes = 0;
  }
}

function countsOf(first: boolean, counts: { logins: number; deviceTypes: ReadonlyMap<string, number>; locales: ReadonlyMap<string, number> }): Counts {
  return first ? { logins: counts.logins, device_types: Object.fromEntries(counts.deviceTypes), locales: Object.fromEntries(counts.locales) } : { logins: 0, device_types: {}, locales: {} };
}

interface PartialChunk {
  readonly logins: number;
  readonly device_types: Record<string, number>;
  readonly locales: Record<string, number>;
  /** Each user with its distinct IPs, flat: `user_id, n, ip₁ … ipₙ, user_id, …` (one array parses faster than one per user). */
  readonly users: ReadonlyArray<string | number>;
}

/** A window a partition released, as its partial: every user with its IPs. */
export function partialRecords(topic: string, source: number, ref: WindowRef, partial: WindowPartial): Message[] {
  const chunks = new WindowChunks(topic, 'partial', source, ref, (first, users): PartialChunk => ({ ...countsOf(first, partial), users }));
  for (const [user, ips] of partial.users) {
    const list = ipsOf(ips);
    // UTF-16 units: a bound of MAX_CHUNK_BYTES of them is at most 3× that in UTF-8, still well under any limit.
    let entryBytes = user.length + 8;
    for (const ip of list) entryBytes += ip.length + 3;
    chunks.entry(entryBytes);
    chunks.item(user);
    chunks.item(list.length);
    for (const ip of list) chunks.item(ip);
  }
  return chunks.done();
}

interface SummaryChunk extends Counts {
  readonly users: number;
  readonly multiple_ip_users: number;
  readonly max_ips: number;
  readonly max_ip_users: readonly string[];
  readonly ips: readonly string[];
}

/** A window a partition's stream time closed, as its summary: counts, IP extremes, distinct IPs. */
export function summaryRecords(topic: string, source: number, ref: WindowRef, summary: WindowSummary): Message[] {
  const chunks = new WindowChunks(topic, 'summary', source, ref, (first, ips): SummaryChunk => ({
    ...countsOf(first, summary),
    users: first ? summary.users : 0,
    multiple_ip_users: first ? summary.usersWithMultipleIps : 0,
    max_ips: first ? summary.maxIps : 0,
    max_ip_users: first ? summary.maxIpUsers : [],
    ips: ips as string[],
  }));
  for (const ip of summary.ips) {
    chunks.entry(ip.length + 3);
    chunks.item(ip);
  }
  return chunks.done();
}

function mergePartialChunk(chunk: PartialChunk): (into: MergeTarget) => void {
  return ({ partial: into }) => {
    into.logins += chunk.logins;
    for (const [type, n] of Object.entries(chunk.device_types)) addCount(into.deviceTypes, type, n);
    for (const [locale, n] of Object.entries(chunk.locales)) addCount(into.locales, locale, n);
    const flat = chunk.users;
    for (let i = 0; i < flat.length; ) {
      const user = String(flat[i]);
      const n = Number(flat[i + 1]);
      if (n === 0) addUserIp(into.users, user, undefined);
      for (let j = 0; j < n; j++) addUserIp(into.users, user, String(flat[i + 2 + j]));
      i += 2 + n;
    }
  };
}

function mergeSummaryChunk(chunk: SummaryChunk): (into: MergeTarget) => void {
  return ({ summary }) =>
    addSummary(summary, {
      logins: chunk.logins,
      deviceTypes: Object.entries(chunk.device_types),
      locales: Object.entries(chunk.locales),
      users: chunk.users,
      usersWithMultipleIps: chunk.multiple_ip_users,
      maxIps: chunk.max_ips,
      maxIpUsers: chunk.max_ip_users,
      ips: chunk.ips,
    });
}

export function markRecord(topic: string, source: number, mark: SourceMark): Message {
  return {
    topic,
    key: `mark:${source}`,
    value: JSON.stringify({ stream_time_ms: mark.streamTimeMs, released_through_ms: mark.releasedThroughMs, idle: mark.idle, at_ms: mark.atMs }),
    headers: { [KIND_HEADER]: 'mark', [SOURCE_HEADER]: String(source) },
    partition: 0,
  } as Message;
}

/** A login for windows its partition released: its processed bytes, for the merge to count or send on as late. */
export function stragglerRecord(topic: string, source: number, login: KafkaMessage, released: readonly WindowRef[], late: readonly WindowRef[], behindMs: number): Message {
  const headers: IHeaders = {
    ...login.headers,
    [KIND_HEADER]: 'straggler',
    [SOURCE_HEADER]: String(source),
    [RELEASED_HEADER]: formatLateWindows(released.map(windowKey)),
    [LATE_WINDOWS_HEADER]: formatLateWindows(late.map(windowKey)),
    [LATE_BEHIND_HEADER]: String(behindMs),
  };
  return { topic, key: login.key, value: login.value, headers, partition: 0 } as Message;
}

/** The late record of a processed login: its bytes and key unchanged, the windows it missed, how far behind. */
export function lateRecord(topic: string, login: Pick<KafkaMessage, 'key' | 'value' | 'headers'>, missed: readonly string[], behindMs: string): Message {
  const headers: IHeaders = { [LATE_WINDOWS_HEADER]: formatLateWindows(missed), [LATE_BEHIND_HEADER]: behindMs };
  const source = login.headers?.[LINEAGE_HEADER];
  if (source !== undefined) headers[LINEAGE_HEADER] = source;
  return { topic, key: login.key, value: login.value, headers } as Message;
}

const text = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : (Array.isArray(value) ? value[0] : value)?.toString();
};

/** `user_id, n, ip₁ … ipₙ, …` exactly, so merging it cannot run off or loop. */
function isFlatUsers(users: unknown): users is ReadonlyArray<string | number> {
  if (!Array.isArray(users)) return false;
  let i = 0;
  while (i < users.length) {
    const n: unknown = users[i + 1];
    if (typeof users[i] !== 'string' || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || i + 2 + n > users.length) return false;
    for (let j = 0; j < n; j++) if (typeof users[i + 2 + j] !== 'string') return false;
    i += 2 + n;
  }
  return true;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCountMap = (v: unknown): v is Record<string, number> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isCount);
const isCounts = (v: Record<string, unknown>): boolean => isCount(v.logins) && isCountMap(v.device_types) && isCountMap(v.locales);

function isSummaryChunk(v: Record<string, unknown>): boolean {
  return isCounts(v) && isCount(v.users) && isCount(v.multiple_ip_users) && isCount(v.max_ips) && isStrings(v.max_ip_users) && v.max_ip_users.length <= MAX_LISTED_USERS && isStrings(v.ips);
}

const nullableMs = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Reads a record of the partials topic. */
export function readInternalRecord(message: KafkaMessage): InternalRecord {
  const kind = text(message.headers, KIND_HEADER);
  const source = Number(text(message.headers, SOURCE_HEADER));
  if (!Number.isSafeInteger(source) || source < 0) return { kind: 'unreadable', why: `no ${SOURCE_HEADER} header` };
  try {
    if (kind === 'straggler') {
      return {
        kind,
        source,
        released: parseLateWindows(text(message.headers, RELEASED_HEADER) ?? ''),
        late: parseLateWindows(text(message.headers, LATE_WINDOWS_HEADER) ?? ''),
        behindMs: text(message.headers, LATE_BEHIND_HEADER) ?? '0',
      };
    }
    const json: unknown = JSON.parse(message.value?.toString() ?? '');
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'unreadable', why: 'its value is not a JSON object' };
    const value = json as Record<string, unknown>;
    if (kind === 'partial' && message.key !== null && isCounts(value) && isFlatUsers(value.users)) {
      return { kind, source, window: message.key.toString(), merge: mergePartialChunk(value as unknown as PartialChunk) };
    }
    if (kind === 'summary' && message.key !== null && isSummaryChunk(value)) {
      return { kind: 'partial', source, window: message.key.toString(), merge: mergeSummaryChunk(value as unknown as SummaryChunk) };
    }
    if (kind === 'mark' && nullableMs(value.stream_time_ms) && nullableMs(value.released_through_ms) && typeof value.idle === 'boolean' && typeof value.at_ms === 'number') {
      return { kind, source, mark: { streamTimeMs: value.stream_time_ms, releasedThroughMs: value.released_through_ms, idle: value.idle, atMs: value.at_ms } };
    }
  } catch (err) {
    return { kind: 'unreadable', why: `its value is not JSON: ${(err as Error).message}` };
  }
  return { kind: 'unreadable', why: `not a ${kind ?? 'known'} record of the insights stages` };
}
