import { buildRecordBatch } from '@login-stream/exactly-once';
import { seededRandom } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { createLoginRouter } from '../routing/route-login';
import { kafkaMessage } from '../testing/kafka-message';
import { readSummaryRecord } from './summary-restore';
import { createSummaryHandler } from './summary-stage';
import type { SummaryState } from './summary-stage';

// Whatever the processor accepts, the summary it writes for it must be readable by its own
// restore: a summary restore refuses would fail the partition's next takeover.

const NOW = Date.parse('2026-11-22T12:00:00Z');
const SEED = Number(process.env['SUMMARY_ROUNDTRIP_SEED'] ?? 20261201);
const logger = createLogger({ service: 'summary-roundtrip-test', level: 'silent' });
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Event times over the whole accepted range, in every accepted form, edges first. */
function timestamps(count: number): unknown[] {
  const random = seededRandom(SEED);
  // Edges the processor must reject or get right: 0.0004 s rounds to 0 ms, MAX_MS + 1 is the year 10000.
  const edges: unknown[] = [0.0004, '0.0004', 0.0001, MAX_MS + 1, 1e15, 0.0005, '0.0005', 1, '1', 0.001, 1e11 - 1, 1e11, 99_999_999_999.999, MAX_MS, String(MAX_MS), '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.001Z', '2024-02-29T00:00:00+14:00', NOW / 1000, NOW];
  const drawn = Array.from({ length: count }, (): unknown => {
    // Spread evenly over orders of magnitude, from a millisecond after the epoch to the year 9999.
    const ms = Math.max(1, Math.round(10 ** (random() * Math.log10(MAX_MS))));
    switch (Math.floor(random() * 5)) {
      case 0:
        return ms < 1e11 * 1000 ? ms / 1000 : ms;
      case 1:
        return String(ms < 1e11 * 1000 ? ms / 1000 : ms);
      case 2:
        return ms >= 1e11 ? ms : ms / 1000;
      case 3:
        return new Date(ms).toISOString();
      default:
        return new Date(ms).toISOString().replace('Z', '+00:00');
    }
  });
  return [...edges, ...drawn];
}

describe('summaries the processor writes, read back by its restore', () => {
  it(`when any accepted login is summarized, then restore reads the summary back with the same range (seed ${SEED})`, () => {
    const anyFuture = { ...DEFAULT_LOGIN_RULES, requiredFields: ['user_id', 'timestamp'] as const, maxFutureSkewMs: Number.MAX_SAFE_INTEGER };
    const route = createLoginRouter(anyFuture, 'processed-logins', () => NOW);
    const summary = createSummaryHandler('user-summary', async () => [], logger);
    const outputs = { maxBatchBytes: new Map([['user-summary', 1_048_588], ['dlq', 1_048_588]]), deadLetterTopic: 'dlq', deadLetterPartitions: 1 };
    const now = new Date(NOW).toISOString();

    let accepted = 0;
    const unreadable: unknown[] = [];
    for (const [i, timestamp] of timestamps(5000).entries()) {
      const routed = route({ key: null, value: Buffer.from(JSON.stringify({ user_id: `u${i}`, timestamp })), offset: String(i) }, { topic: 'user-login', partition: 0, now });
      if (routed.kind !== 'processed') continue;
      accepted++;
      const processed = kafkaMessage(i, routed.record.key as string, String(routed.record.value), routed.record.headers);
      const state: SummaryState = new Map();
      const built = buildRecordBatch(summary.batch(state, { partition: 0, now }), [processed], { topic: 'processed-logins', partition: 0, failedAt: now }, outputs);
      const written = built.requests.flat().flatMap((t) => t.messages);
      const read = written.map((m) => readSummaryRecord({ key: Buffer.from(String(m.key)), value: Buffer.from(String(m.value)) }));
      const expected = { kind: 'range', userId: `u${i}`, range: { firstSeenMs: routed.eventTimeMs, lastSeenMs: routed.eventTimeMs } };
      if (read.length !== 1 || JSON.stringify(read[0]) !== JSON.stringify(expected)) unreadable.push({ timestamp, written: written.map((m) => String(m.value)), read });
    }
    expect(unreadable).toEqual([]);
    expect(accepted).toBeGreaterThan(4000);
  });

  it('when a summary record is not one (no key, not JSON, a wrong shape, a mismatched key), then restore reads it as unreadable, saying why', () => {
    const value = (v: unknown) => Buffer.from(JSON.stringify(v));
    const summary = { user_id: 'u', first_seen: '2024-01-01T00:00:00.000Z', last_seen: '2024-01-01T00:00:00.000Z', first_seen_ms: 1704067200000, last_seen_ms: 1704067200000 };
    expect(readSummaryRecord({ key: null, value: value(summary) })).toEqual({ kind: 'unreadable', why: 'it has no key' });
    expect(readSummaryRecord({ key: Buffer.from('u'), value: Buffer.from('{') })).toMatchObject({ kind: 'unreadable', why: expect.stringMatching(/not JSON/) });
    expect(readSummaryRecord({ key: Buffer.from('u'), value: value({ ...summary, first_seen_ms: 0 }) })).toMatchObject({ kind: 'unreadable', why: expect.stringMatching(/first_seen_ms/) });
    expect(readSummaryRecord({ key: Buffer.from('v'), value: value(summary) })).toMatchObject({ kind: 'unreadable', why: 'it is keyed v but summarizes u' });
    expect(readSummaryRecord({ key: Buffer.from('u'), value: null })).toEqual({ kind: 'tombstone', userId: 'u' });
  });
});
