import { seededRandom, waitUntil } from '@login-stream/kafka-testing';
import { expectInsightsOfOracle } from './testing/expect-insights';
import { buildServices, PipelineFixture } from './testing/pipeline-harness';
import { timedLogins } from './testing/timed-logins';

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
    expect(insights.lines.filter((l) => l['level'] === 'fatal' || l['level'] === 'error')).toEqual([]);
  }, 300_000);
});
