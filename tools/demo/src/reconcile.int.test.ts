import { execFile } from 'node:child_process';
import path from 'node:path';
import { loadGroupNames } from '@login-stream/config';
import type { TopicNames } from '@login-stream/config';
import { buildPackage, uniqueName, waitUntil } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { reconcile } from '@login-stream/reconcile';
import type { Reconciliation } from '@login-stream/reconcile';
import { LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import type { Producer } from 'kafkajs';
import { buildServices, PipelineFixture } from './testing/pipeline-harness';
import type { PipelineUnderTest } from './testing/pipeline-harness';
import { timedLogins } from './testing/timed-logins';
import type { TopicRecord } from './testing/topic-reader';
import { header } from './testing/topic-reader';

// The reconciliation check against a real pipeline run, then against copies of its outputs
// with one record left out or written twice: what it reports is known by construction.

const SEED = 31_415;
const START = Date.parse('2024-03-01T09:00:30Z');
const GOOD = 3_000;
const BAD = 120;
const logger = createLogger({ service: 'reconcile-test', level: 'silent' });
const RECONCILE_DIR = path.resolve(__dirname, '../../../libs/reconcile');

/** `npm run check` as a process: its exit code and what it printed. */
function runCheck(env: Readonly<Record<string, string>>, args: readonly string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(RECONCILE_DIR, 'dist/cli/check.js'), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : Number((err as { code?: number }).code), stdout, stderr });
    });
  });
}

describe('reconciliation of a pipeline run', () => {
  const fixture = new PipelineFixture();
  const { testKafka } = fixture;
  let p: PipelineUnderTest;
  let producer: Producer;
  let settled: Reconciliation;

  const check = async (topics: Partial<TopicNames> = {}): Promise<Reconciliation> => {
    return reconcile({ kafka: testKafka.kafka, admin: await testKafka.admin(), logger, topics: { ...p.topics, ...topics }, groups: loadGroupNames(p.env), timeoutMs: 60_000 });
  };

  /** A copy of `records` on a fresh topic, headers and all, with `change` applied to the list. */
  const copy = async (records: readonly TopicRecord[], change: (records: TopicRecord[]) => TopicRecord[]): Promise<string> => {
    const topic = await testKafka.createTopic(uniqueName('reconcile-copy'), 3);
    const messages = change([...records]).map((m) => ({ key: m.key, value: m.value, headers: m.headers as Record<string, Buffer> }));
    for (let i = 0; i < messages.length; i += 1_000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1_000) });
    return topic;
  };

  beforeAll(async () => {
    buildServices();
    buildPackage(RECONCILE_DIR);
    process.stdout.write(`reconcile test: ${GOOD} logins and ${BAD} bad records, seed ${SEED}\n`);
    p = await fixture.pipeline('recon');
    await Promise.all([p.startProcessor(), p.startInsights()]);
    // Idempotent: a send retried after "not the leader" (a topic just created) must not write twice.
    producer = await testKafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const logins = timedLogins({ seed: SEED, count: GOOD, users: 200, startMs: START, spanMs: 4 * 60_000, jitterMs: 2_000, lateShare: 0.03, lateMs: [60_000, 120_000] });
    const bad = Array.from({ length: BAD }, (_, i) => Buffer.from(i % 2 === 0 ? `not json ${i}` : JSON.stringify({ user_id: `u${i}` })));
    await p.produce(producer, [...logins, ...bad]);
    // Settled: the processor committed every input offset and insights has consumed everything.
    await waitUntil(
      async () => {
        settled = await check();
        return settled.processor.checked === GOOD + BAD && settled.insights.caughtUp && settled.insights.sizes.length === 2;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'every input offset committed and insights caught up with 1m and 1h results' },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; the last check: ${JSON.stringify(settled)}`);
    });
  }, 240_000);

  afterAll(() => fixture.close());

  it('when the run is clean, then it is OK: every input offset once in processed-logins or the DLQ, and results + late = processed for each window size', () => {
    expect(settled.ok).toBe(true);
    expect(settled.processor).toMatchObject({ ok: true, checked: GOOD + BAD, missing: 0, duplicated: 0, inFlight: 0, processed: GOOD, deadLettered: BAD, unattributed: 0 });
    expect(settled.insights.status).toBe('ok');
    for (const size of settled.insights.sizes) {
      expect(size.resultLogins + size.lateEvents).toBe(size.processedLogins);
      expect(size.lateEvents).toBeGreaterThan(0);
    }
  });

  it('when processed-logins lacks one record (a copy without it), then exactly that input offset is reported missing, and `npm run check` exits 1 naming it', async () => {
    const processed = await p.read(p.topics.processedLogins);
    const dropped = processed[1_234];
    const source = parseLineage(header(dropped, LINEAGE_HEADER) ?? '');
    const topic = await copy(processed, (records) => records.filter((m) => m !== dropped));
    const result = await check({ processedLogins: topic });
    expect(result.ok).toBe(false);
    expect(result.processor).toMatchObject({ missing: 1, duplicated: 0 });
    expect(result.processor.partitions.find((x) => x.missing > 0)).toMatchObject({ partition: source?.partition, missingOffsets: [Number(source?.offset)] });

    const cli = await runCheck({ ...p.env, TOPIC_PROCESSED_LOGINS: topic });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^reconciliation MISSING: [\d,]+ input offsets checked, 1 missing, 0 duplicated/);
    expect(cli.stdout).toContain(`${p.topics.userLogin}/${source?.partition}: `);
    expect(cli.stdout).toContain(`missing ${source?.offset}`);
  }, 120_000);

  it('when `npm run check` runs on the clean run, then it exits 0 with the OK line; --json gives the same report as the library; on a missing input topic it exits 2', async () => {
    const clean = await runCheck(p.env);
    expect([clean.code, clean.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^reconciliation OK: [\d,]+ input offsets checked, 0 missing, 0 duplicated, 0 in flight; insights ok: 1m /)]);
    const json = JSON.parse((await runCheck(p.env, ['--json'])).stdout) as { ok: boolean; processor: { checked: number } };
    expect([json.ok, json.processor.checked]).toEqual([true, GOOD + BAD]);
    const absent = await runCheck({ ...p.env, TOPIC_USER_LOGIN: uniqueName('never-created') });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/^check failed \(TOPIC_SETUP_FAILED\): .* does not exist/);
  }, 120_000);

  it('when the DLQ holds one record twice (a copy with it repeated), then exactly that input offset is reported duplicated', async () => {
    const deadLetters = await p.read(p.topics.deadLetter);
    const repeated = deadLetters[17];
    const topic = await copy(deadLetters, (records) => [...records, repeated]);
    const result = await check({ deadLetter: topic });
    expect(result.ok).toBe(false);
    expect(result.processor).toMatchObject({ missing: 0, duplicated: 1 });
    expect(result.processor.partitions.find((x) => x.duplicated > 0)?.duplicatedOffsets).toEqual([Number(header(repeated, 'dlq.source.offset'))]);
  }, 120_000);

  it('when login-insights lacks one window (a copy without it), then insights is a mismatch for that window size alone', async () => {
    const results = await p.read(p.topics.loginInsights);
    // One inside the range: without the first or last, the range itself would shrink.
    const minutes = results.filter((m) => m.key?.toString().startsWith('1m:') === true).sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(minutes.length).toBeGreaterThanOrEqual(3);
    const dropped = minutes[1];
    const topic = await copy(results, (records) => records.filter((m) => m !== dropped));
    const result = await check({ loginInsights: topic });
    // One assertion, so that a failure shows the numbers (and the dropped window) too.
    expect({ dropped: String(dropped.key), ok: result.ok, status: result.insights.status, sizes: result.insights.sizes }).toEqual({
      dropped: String(dropped.key),
      ok: false,
      status: 'mismatch',
      sizes: [expect.objectContaining({ windowSize: '1m', balanced: false }), expect.objectContaining({ windowSize: '1h', balanced: true })],
    });
  }, 120_000);
});
