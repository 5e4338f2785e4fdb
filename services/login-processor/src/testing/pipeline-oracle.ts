import type { CollectedMessage } from '@login-stream/kafka-testing';
import { decodeDeadLetterHeaders, LINEAGE_HEADER, parseLineage, userSummarySchema } from '@login-stream/schema';
import type { LoginRules } from '@login-stream/schema';
import { createLoginRouter } from '../routing/route-login';
import { widenRange } from '../summary/seen-range';
import type { SeenRange } from '../summary/seen-range';

/** Input records are identified as `partition:offset`. */
export type InputId = string;

const hex = (b: Buffer | string | null) => (b === null ? 'null' : Buffer.from(b).toString('hex'));
const header = (m: CollectedMessage, name: string) => {
  const v = m.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.toString();
};

function withoutProcessedAt(json: string): string {
  const { processed_at: _ignored, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(rest);
}

function describeDeadLetter(key: Buffer | string | null, value: Buffer | string | null, reason: string, errors: unknown): string {
  return `dlq key=${hex(key)} value=${hex(value)} reason=${reason} errors=${JSON.stringify(errors)}`;
}

/** What the processor must write for each input record: the pure router applied to the input as read back. */
export function expectedOutputs(input: readonly CollectedMessage[], topic: string, rules: LoginRules): Map<InputId, string> {
  const route = createLoginRouter(rules, 'processed');
  const expected = new Map<InputId, string>();
  for (const m of input) {
    const routed = route({ key: m.key, value: m.value, offset: m.offset }, { topic, partition: m.partition, now: new Date().toISOString() });
    expected.set(
      `${m.partition}:${m.offset}`,
      routed.kind === 'processed'
        ? `processed key=${String(routed.record.key)} value=${withoutProcessedAt(String(routed.record.value))}`
        : // A dead letter carries the input's own key and value bytes.
          describeDeadLetter(m.key, m.value, routed.rejections[0].code, routed.rejections),
    );
  }
  return expected;
}

/** What the processor wrote, per input record it names; more than one entry means a duplicate. */
export function actualOutputs(processed: readonly CollectedMessage[], deadLetters: readonly CollectedMessage[], topic: string): Map<InputId, string[]> {
  const actual = new Map<InputId, string[]>();
  const add = (id: InputId, description: string) => actual.set(id, [...(actual.get(id) ?? []), description]);
  for (const m of processed) {
    const lineage = parseLineage(header(m, LINEAGE_HEADER) ?? '');
    if (lineage === undefined || lineage.topic !== topic) throw new Error(`processed record ${m.partition}:${m.offset} has no lineage for ${topic}`);
    add(`${lineage.partition}:${lineage.offset}`, `processed key=${m.key?.toString()} value=${withoutProcessedAt(m.value?.toString() ?? '')}`);
  }
  for (const m of deadLetters) {
    const info = decodeDeadLetterHeaders(m.headers);
    if (info.sourceTopic !== topic) throw new Error(`dead letter ${m.partition}:${m.offset} comes from ${info.sourceTopic}`);
    add(`${info.sourcePartition}:${info.sourceOffset}`, describeDeadLetter(m.key, m.value, info.reason, info.errors));
  }
  return actual;
}

/** One output per input id where there is exactly one; the whole list where not, so diffs show duplicates. */
export function singleOutputs(actual: ReadonlyMap<InputId, string[]>): Map<InputId, string | string[]> {
  return new Map([...actual].map(([id, outputs]) => [id, outputs.length === 1 ? (outputs[0]) : outputs]));
}

/** A summary as `user first_ms..last_ms`. */
type SummaryLine = string;
const line = (user: string, r: SeenRange): SummaryLine => `${user} ${r.firstSeenMs}..${r.lastSeenMs}`;

/**
 * The summaries each user-summary partition must hold, in order: the transitions replayed over
 * the matching processed-logins partition in offset order. A duplicate or a missed emission
 * after a crash shows up as a difference.
 */
export function expectedSummaries(processed: readonly CollectedMessage[]): Map<number, SummaryLine[]> {
  const byPartition = new Map<number, SummaryLine[]>();
  const state = new Map<string, SeenRange>();
  for (const m of processed) {
    const { user_id: user, event_time_ms: ms } = JSON.parse(m.value?.toString() ?? '{}') as { user_id: string; event_time_ms: number };
    const next = widenRange(state.get(user), ms);
    if (next === undefined) continue;
    state.set(user, next);
    byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), line(user, next)]);
  }
  return byPartition;
}

export function actualSummaries(summaries: readonly CollectedMessage[]): Map<number, SummaryLine[]> {
  const byPartition = new Map<number, SummaryLine[]>();
  for (const m of summaries) {
    const s = userSummarySchema.parse(JSON.parse(m.value?.toString() ?? 'null'));
    if (s.user_id !== m.key?.toString()) throw new Error(`summary ${m.partition}:${m.offset} is keyed ${m.key?.toString()} but is for ${s.user_id}`);
    if (Date.parse(s.first_seen) !== s.first_seen_ms || Date.parse(s.last_seen) !== s.last_seen_ms) {
      throw new Error(`summary ${m.partition}:${m.offset} has ISO times that differ from its epoch milliseconds`);
    }
    byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), line(s.user_id, { firstSeenMs: s.first_seen_ms, lastSeenMs: s.last_seen_ms })]);
  }
  return byPartition;
}

/** The latest summary per user, as a reader of the compacted topic would see it. */
export function latestSummaryPerUser(summaries: readonly CollectedMessage[]): Map<string, SummaryLine> {
  const latest = new Map<string, SummaryLine>();
  for (const m of summaries) {
    const s = userSummarySchema.parse(JSON.parse(m.value?.toString() ?? 'null'));
    latest.set(s.user_id, line(s.user_id, { firstSeenMs: s.first_seen_ms, lastSeenMs: s.last_seen_ms }));
  }
  return latest;
}

/** first_seen / last_seen per user straight from the valid logins: min and max event time. */
export function rangePerUser(processed: readonly CollectedMessage[]): Map<string, SummaryLine> {
  const ranges = new Map<string, SeenRange>();
  for (const m of processed) {
    const { user_id: user, event_time_ms: ms } = JSON.parse(m.value?.toString() ?? '{}') as { user_id: string; event_time_ms: number };
    const r = ranges.get(user);
    ranges.set(user, { firstSeenMs: Math.min(r?.firstSeenMs ?? ms, ms), lastSeenMs: Math.max(r?.lastSeenMs ?? ms, ms) });
  }
  return new Map([...ranges].map(([user, r]) => [user, line(user, r)]));
}
