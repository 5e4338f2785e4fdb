import { setTimeout as delay } from 'node:timers/promises';
import { LATE_BEHIND_HEADER, LATE_WINDOWS_HEADER, LINEAGE_HEADER } from '@login-stream/schema';
import { DEFAULT_SIZES, expectInsightsOfOracle } from './testing/expect-insights';
import { buildServices, PipelineFixture, withoutEmittedAt } from './testing/pipeline-harness';
import type { PipelineUnderTest } from './testing/pipeline-harness';
import { timedLogins } from './testing/timed-logins';
import { header } from './testing/topic-reader';

// Processor and insights as `npm start` runs them, on fresh topics: what lands on login-insights
// and login-insights-late is held to a count this test makes from processed-logins by itself.

const START = Date.parse('2016-07-11T14:38:30Z');
const SEED = 20_161_107;

describe('insights through the processor, against a real broker', () => {
  const fixture = new PipelineFixture();
  const { testKafka } = fixture;
  const pipeline = (prefix: string) => fixture.pipeline(prefix);

  beforeAll(buildServices, 180_000);
  afterEach(() => fixture.closeAll());
  afterAll(() => fixture.close());

  it(`when logins spread over five minutes of event time arrive out of order within the grace, then each 1m and 1h result equals an independent count, once, the last ones with no further input; replayed into a pipeline idle for a minute, the results are the same (seed ${SEED})`, async () => {
    const logins = timedLogins({ seed: SEED, count: 6_000, users: 400, startMs: START, spanMs: 5 * 60_000, jitterMs: 3_000 });
    const idle = await pipeline('ins-idle');
    await Promise.all([idle.startProcessor(), idle.startInsights()]);
    const idleSince = Date.now();

    const fresh = await pipeline('ins-fresh');
    await Promise.all([fresh.startProcessor(), fresh.startInsights()]);
    const producer = await testKafka.producer();
    await fresh.produce(producer, logins);
    const expected = await expectInsightsOfOracle(fresh, logins.length);
    expect(expected.late.size).toBe(0);
    // Six minutes of windows and the hour: the last minute (14:43) came without any later login.
    expect([...expected.windows.keys()].sort()).toEqual(['1h:2016-07-11T14:00:00.000Z', ...['38', '39', '40', '41', '42', '43'].map((m) => `1m:2016-07-11T14:${m}:00.000Z`)]);

    // The idle minute is the experiment's variable: here a fixed wait is the point.
    await delay(Math.max(0, 60_000 - (Date.now() - idleSince)));
    await idle.produce(producer, logins);
    await expectInsightsOfOracle(idle, logins.length);
    const strip = async (p: PipelineUnderTest) => new Map([...(await p.results())].map(([k, [r]]) => [k, withoutEmittedAt(r)]));
    expect(await strip(idle)).toEqual(await strip(fresh));
  }, 300_000);

  it(`when logins arrive minutes late, then each goes once to the late topic with its windows and how far behind, its bytes and key unchanged, and results + late = processed for each size (seed ${SEED + 1})`, async () => {
    const logins = timedLogins({ seed: SEED + 1, count: 6_000, users: 400, startMs: START, spanMs: 6 * 60_000, jitterMs: 3_000, lateShare: 0.05, lateMs: [90_000, 240_000] });
    const p = await pipeline('ins-late');
    await Promise.all([p.startProcessor(), p.startInsights()]);
    await p.produce(await testKafka.producer(), logins);
    const expected = await expectInsightsOfOracle(p, logins.length);
    expect(expected.late.size).toBeGreaterThan(100);
    const processed = logins.length;

    const late = await p.read(p.topics.loginInsightsLate);
    const processedBySource = new Map((await p.read(p.topics.processedLogins)).map((m) => [header(m, LINEAGE_HEADER), m]));
    expect(late.map((m) => header(m, LINEAGE_HEADER)).sort()).toEqual([...expected.late.keys()].sort());
    for (const m of late) {
      const source = header(m, LINEAGE_HEADER) ?? '';
      expect({ windows: header(m, LATE_WINDOWS_HEADER), behindMs: header(m, LATE_BEHIND_HEADER) }).toEqual(expected.late.get(source));
      expect(m.value?.toString()).toBe(processedBySource.get(source)?.value?.toString());
      expect(m.key?.toString()).toBe(processedBySource.get(source)?.key?.toString());
    }
    const results = [...(await p.results()).values()].map(([r]) => r);
    for (const size of DEFAULT_SIZES) {
      const counted = results.filter((r) => r.window_size === size.label).reduce((n, r) => n + r.logins, 0);
      const lateForSize = late.filter((m) => (header(m, LATE_WINDOWS_HEADER) ?? '').split(',').some((w) => w.startsWith(`${size.label}:`))).length;
      expect(counted + lateForSize).toBe(processed);
    }
  }, 240_000);

  it(`when two insights instances share the work, then the results are those of one (seed ${SEED + 2})`, async () => {
    const logins = timedLogins({ seed: SEED + 2, count: 6_000, users: 400, startMs: START, spanMs: 5 * 60_000, jitterMs: 3_000 });
    const p = await pipeline('ins-two');
    await Promise.all([p.startProcessor(), p.startInsights(), p.startInsights()]);
    await p.produce(await testKafka.producer(), logins);
    await expectInsightsOfOracle(p, logins.length);
    // Both took part: each was assigned windowing partitions.
    for (const child of p.children.filter((c) => c.lines.some((l) => l.msg === 'insights started'))) {
      expect(child.lines.some((l) => l.msg === 'partitions assigned' && l['stage'] === 'windowing' && (l['partitions'] as number[]).length > 0)).toBe(true);
    }
  }, 240_000);
});
