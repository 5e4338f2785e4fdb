import path from 'node:path';
import { buildPackage, ServiceChild, TestKafka, uniqueName } from '@login-stream/kafka-testing';
import type { LogLine } from '@login-stream/kafka-testing';
import type { FlowSnapshot } from './flow-stats';

const REPO = path.resolve(__dirname, '../../..');
const snapshotOf = (line: LogLine) => line as unknown as FlowSnapshot;

describe('npm run demo', () => {
  const testKafka = new TestKafka();
  let demo: ServiceChild | undefined;

  beforeAll(() => {
    for (const dir of ['services/login-processor', 'services/producer', 'services/insights', 'tools/demo']) buildPackage(path.join(REPO, dir));
  }, 180_000);
  afterAll(async () => {
    await demo?.kill('SIGKILL');
    await testKafka.close();
  });

  it('when it runs and gets Ctrl-C, then logins flowed to every output topic, a closed 1m window is in the view, and everything stops with exit code 0', async () => {
    const topic = (name: string) => testKafka.own(uniqueName(name));
    const insightsGroup = uniqueName('demo-insights');
    testKafka.own(`${insightsGroup}-partials`);
    const env = {
      TOPIC_USER_LOGIN: topic('demo-login'),
      TOPIC_PROCESSED_LOGINS: topic('demo-processed'),
      TOPIC_DEAD_LETTER: topic('demo-dlq'),
      TOPIC_USER_SUMMARY: topic('demo-summary'),
      TOPIC_LOGIN_INSIGHTS: topic('demo-insights'),
      TOPIC_LOGIN_INSIGHTS_LATE: topic('demo-late'),
      CONSUMER_GROUP_ID: uniqueName('demo-processor'),
      INSIGHTS_GROUP_ID: insightsGroup,
      DEMO_RATE: '1000',
      DEMO_REFRESH_MS: '200',
      DASHBOARD_PORT: '0',
      LOG_LEVEL: 'warn',
    };
    await testKafka.admin(); // deletes the topics the demo creates, in close()
    demo = new ServiceChild('demo', path.join(REPO, 'tools/demo/dist/main.js'), [], env);

    await demo.waitForLog(
      (line) => {
        const { counts, latestMinute } = snapshotOf(line);
        return counts.processed > 0 && counts.deadLetter > 0 && counts.summary > 0 && latestMinute !== undefined;
      },
      'processed, dead-lettered and summarized logins and a closed 1m window in the live view',
      // Live event times: the first full minute closes up to 65 s after the demo starts.
      150_000,
    );
    expect(await demo.kill('SIGINT')).toBe(0);

    const last = snapshotOf(demo.lines[demo.lines.length - 1]);
    expect(last.counts.processed + last.counts.deadLetter).toBeLessThanOrEqual(last.counts.input);
    expect(last.rejections.map(([reason]) => reason)).toContain('MISSING_FIELD');
    expect(last.latestMinute?.logins).toBeGreaterThan(0);
    expect(last.counts.insights).toBeGreaterThan(0);
    // The last view's check ran after the services stopped: everything they committed, once.
    expect((last as FlowSnapshot & { reconciliation?: string }).reconciliation).toMatch(/^reconciliation OK: [\d,]+ input offsets checked, 0 missing, 0 duplicated, [\d,]+ in flight; insights (ok|in-flight): /);
  }, 240_000);
});
