import { murmur2 } from '@login-stream/kafka';
import { seededRandom, waitUntil } from '@login-stream/kafka-testing';
import { expectInsightsOfOracle } from './testing/expect-insights';
import { buildServices, PipelineFixture } from './testing/pipeline-harness';
import { timedLogins } from './testing/timed-logins';
import { header } from './testing/topic-reader';

// Insights SIGKILLed and started again, over and over, while logins stream in: every window
// result must still appear exactly once and equal an uninterrupted run (the oracle's count).

const SEED = 51_515;
const ROUNDS = 6;
const START = Date.parse('2016-07-11T14:38:30Z');

describe('insights killed mid-stream', () => {
  const fixture = new PipelineFixture();
  beforeAll(buildServices, 180_000);
  afterAll(() => fixture.close());

  it(`when insights is SIGKILLed and restarted ${ROUNDS} times while logins stream in, then every window appears exactly once and equals an uninterrupted run (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const p = await fixture.pipeline('ins-crash');
    const logins = timedLogins({ seed: SEED, count: 12_000, users: 500, startMs: START, spanMs: 6 * 60_000, jitterMs: 3_000 });
    await p.startProcessor();
    let insights = await p.startInsights();
    const producer = await fixture.testKafka.producer();
    const admin = await fixture.testKafka.admin();
    const windowingGroup = p.env['INSIGHTS_GROUP_ID'];
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: windowingGroup, topics: [p.topics.processedLogins] });
      return (offsets?.partitions ?? []).reduce((n, o) => n + Math.max(0, Number(o.offset)), 0);
    };

    // A steady stream of a minute: 100 logins every 400 ms (every partition hears from its users well within INSIGHTS_IDLE_MS).
    let sent = 0;
    const streaming = (async () => {
      for (; sent < logins.length; sent += 100) {
        await p.produce(producer, logins.slice(sent, sent + 100));
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    })();

    for (let round = 0; round < ROUNDS; round++) {
      // Kill once the restarted instance has committed some more input: somewhere in a batch, a
      // tick, a restore or a merge, wherever that lands.
      const target = (await committed()) + 100 + Math.floor(random() * 600);
      await waitUntil(async () => (await committed()) >= target || sent >= logins.length, { timeoutMs: 90_000, description: `insights to commit ${target} logins` });
      expect(await insights.kill('SIGKILL')).toBeNull();
      insights = await p.startInsights();
    }
    expect(sent).toBeLessThan(logins.length); // every kill came mid-stream
    await streaming;
    await expectInsightsOfOracle(p, logins.length);
    // The service's own errors: kafkajs logs the error answer of a request it then retries
    // (CONCURRENT_TRANSACTIONS while a killed instance's transaction is aborted) at error level too.
    expect(insights.lines.filter((l) => (l['level'] === 'fatal' || l['level'] === 'error') && l['component'] !== 'kafkajs')).toEqual([]);
  }, 300_000);

  it('when insights is killed while the merge holds partials of windows waiting on an idle partition, then the restarted merge rebuilds them from the partials topic and emits them whole', async () => {
    const p = await fixture.pipeline('ins-merge-crash', { INSIGHTS_IDLE_MS: '8000' });
    // No user of partition 5: every window rests on its idleness, so the merge holds them for a while.
    const onPartition = (value: Buffer) => (murmur2(Buffer.from((JSON.parse(value.toString()) as { user_id: string }).user_id)) & 0x7fffffff) % 6;
    const logins = timedLogins({ seed: SEED + 1, count: 3_000, users: 300, startMs: START, spanMs: 3 * 60_000, jitterMs: 3_000 }).filter((v) => onPartition(v) !== 5);
    await p.startProcessor();
    const first = await p.startInsights();
    await p.produce(await fixture.testKafka.producer(), logins);
    await p.waitForProcessed(logins.length);
    const partialsTopic = `${p.env['INSIGHTS_GROUP_ID']}-partials`;
    await waitUntil(async () => (await p.read(partialsTopic)).some((m) => header(m, 'insights.kind') === 'partial'), { timeoutMs: 30_000, description: 'partials on the partials topic' });
    expect((await p.results()).size).toBe(0); // they wait on partition 5

    expect(await first.kill('SIGKILL')).toBeNull();
    const second = await p.startInsights();
    const restored = await second.waitForLog((l) => l.msg === 'merge restored', 'the merge to restore');
    expect(restored['replayed']).toBeGreaterThan(0);
    await expectInsightsOfOracle(p, logins.length);
  }, 180_000);
});
