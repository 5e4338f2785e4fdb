import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { buildPackage, ServiceChild, TestKafka, uniqueName, withTimeout } from '@login-stream/kafka-testing';

// What the READMEs tell users to run, stopped by a signal to the process the user started: npm
// itself. npm forwards SIGTERM and SIGINT to its script, which must be node (`exec`), not a
// shell that dies and leaves node running.

const REPO = path.resolve(__dirname, '../../..');
/** npm's own entry point: `node npm-cli.js …` is the npm process a user starts. */
const NPM_CLI = process.env['npm_execpath'] ?? realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());
const STOP_WITHIN_MS = 10_000;

/** The pids of the process's children, as ps sees them now. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('stopping a service the way users run it', () => {
  const testKafka = new TestKafka();
  const started: ServiceChild[] = [];
  beforeAll(() => {
    for (const dir of ['services/login-processor', 'services/producer', 'services/insights', 'tools/demo']) buildPackage(path.join(REPO, dir));
  }, 180_000);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.kill('SIGKILL')));
  });
  afterAll(() => testKafka.close());

  const topicEnv = () => {
    const topic = (name: string) => testKafka.own(uniqueName(name));
    const insightsGroup = uniqueName('stop-insights-group');
    testKafka.own(`${insightsGroup}-partials`);
    return {
      KAFKA_BROKERS: testKafka.brokers.join(','),
      TOPIC_USER_LOGIN: topic('stop-login'),
      TOPIC_PROCESSED_LOGINS: topic('stop-processed'),
      TOPIC_DEAD_LETTER: topic('stop-dlq'),
      TOPIC_USER_SUMMARY: topic('stop-summary'),
      TOPIC_LOGIN_INSIGHTS: topic('stop-insights'),
      TOPIC_LOGIN_INSIGHTS_LATE: topic('stop-late'),
      CONSUMER_GROUP_ID: uniqueName('stop-group'),
      INSIGHTS_GROUP_ID: insightsGroup,
      LOG_LEVEL: 'info',
      DASHBOARD_PORT: '0',
    };
  };

  it.each([
    ['npm start --workspace services/login-processor', 'SIGTERM', ['start', '--workspace', 'services/login-processor'], (l: Record<string, unknown>) => l['msg'] === 'login processor started'],
    ['npm start --workspace services/insights', 'SIGTERM', ['start', '--workspace', 'services/insights'], (l: Record<string, unknown>) => l['msg'] === 'insights started'],
    ['npm start --workspace services/dashboard', 'SIGTERM', ['start', '--workspace', 'services/dashboard'], (l: Record<string, unknown>) => l['msg'] === 'dashboard started'],
    ['npm start --workspace services/producer -- generate', 'SIGTERM', ['start', '--workspace', 'services/producer', '--', 'generate', '--rate', '100'], (l: Record<string, unknown>) => l['msg'] === 'producing'],
    ['npm start --workspace services/producer -- generate', 'SIGINT', ['start', '--workspace', 'services/producer', '--', 'generate', '--rate', '100'], (l: Record<string, unknown>) => l['msg'] === 'producing'],
  ] as const)('when `%s` gets %s, then node stops cleanly: npm and node exit 0 within 10 s and no node is left', async (_command, signal, args, running) => {
    await testKafka.admin(); // deletes the topics the service creates, in close()
    // --silent keeps npm's banner off stdout, which then holds only the service's NDJSON.
    const npm = new ServiceChild('npm', NPM_CLI, ['--silent', ...args], topicEnv());
    started.push(npm);
    await npm.waitForLog(running, 'the service to run', 60_000);
    const node = childPids(npm.pid as number);
    expect(node).toHaveLength(1); // npm runs node itself, no shell in between

    const stoppedAt = Date.now();
    const code = await withTimeout(npm.kill(signal), { timeoutMs: STOP_WITHIN_MS, description: `npm to exit after ${signal}` });
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(STOP_WITHIN_MS);
    expect(node.filter(isAlive)).toEqual([]);
    expect(npm.lines.some((l) => l['msg'] === 'shutdown complete' || l['msg'] === 'summary')).toBe(true);
  }, 120_000);

  it('when `npm run demo` gets SIGTERM, then the demo stops its services and itself with exit code 0', async () => {
    await testKafka.admin();
    const npm = new ServiceChild('npm', NPM_CLI, ['--silent', 'run', 'demo'], { ...topicEnv(), DEMO_RATE: '200', DEMO_REFRESH_MS: '200', LOG_LEVEL: 'warn' });
    started.push(npm);
    await npm.waitForLog((l) => (l as { counts?: { processed?: number } }).counts?.processed !== undefined && (l as { counts: { processed: number } }).counts.processed > 0, 'processed logins in the live view', 90_000);
    const demo = childPids(npm.pid as number);
    expect(demo).toHaveLength(1);
    const services = childPids(demo[0]);
    expect(services.length).toBeGreaterThanOrEqual(4);

    expect(await withTimeout(npm.kill('SIGTERM'), { timeoutMs: 30_000, description: 'npm run demo to exit' })).toBe(0);
    expect([...demo, ...services].filter(isAlive)).toEqual([]);
  }, 180_000);
});
