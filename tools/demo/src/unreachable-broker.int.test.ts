import { execFile } from 'node:child_process';
import path from 'node:path';
import { buildPackage, freePorts, pipelineEnv, ServiceChild, startScriptNodeFlags } from '@login-stream/kafka-testing';
import { buildServices } from './testing/pipeline-harness';

// A wrong KAFKA_BROKERS is the most common mistake a user makes: every service and the check
// must say so by name (BROKER_UNREACHABLE, the address, the variable) and exit, not retry
// forever or fail with a bare kafkajs error.

const REPO = path.resolve(__dirname, '../../..');
const RECONCILE_DIR = path.join(REPO, 'libs/reconcile');
/** kafkajs' own retries of the first connection take ~10 s; the start gives up within 15 s. */
const FAILS_WITHIN_MS = 25_000;

const SERVICES = [
  ['login-processor', 'services/login-processor'],
  ['insights', 'services/insights'],
  ['dashboard', 'services/dashboard'],
] as const;

describe('a service started with a broker address nothing answers on', () => {
  let env: Record<string, string>;
  let address: string;

  beforeAll(async () => {
    buildServices();
    buildPackage(RECONCILE_DIR);
    // A port that was free a moment ago: nothing listens there.
    address = `127.0.0.1:${(await freePorts(1))[0]}`;
    env = pipelineEnv('unreachable', [address], { DASHBOARD_PORT: '0' });
  }, 120_000);

  it.each(SERVICES)('when %s starts, then it logs a fatal BROKER_UNREACHABLE naming the address and KAFKA_BROKERS, and exits 1', async (name, dir) => {
    const startedAt = Date.now();
    const child = new ServiceChild(name, path.join(REPO, dir, 'dist/main.js'), [], env, startScriptNodeFlags(path.join(REPO, dir)));
    try {
      expect(await child.exitCode(FAILS_WITHIN_MS + 5_000)).toBe(1);
      expect(Date.now() - startedAt).toBeLessThan(FAILS_WITHIN_MS);
      const fatal = child.lines.find((l) => l['level'] === 'fatal');
      expect(fatal?.['err']).toMatchObject({ code: 'BROKER_UNREACHABLE', message: expect.stringContaining(`cannot reach Kafka at ${address} (KAFKA_BROKERS)`) });
    } finally {
      await child.kill('SIGKILL');
    }
  }, FAILS_WITHIN_MS + 10_000);

  it('when `npm run check` runs, then it exits 2 with BROKER_UNREACHABLE naming the address', async () => {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(RECONCILE_DIR, 'dist/cli/check.js')], { env: { ...process.env, ...env } }, (err, _stdout, stderr) => {
        resolve({ code: err === null ? 0 : Number((err as { code?: number }).code), stderr });
      });
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`check failed (BROKER_UNREACHABLE): cannot reach Kafka at ${address} (KAFKA_BROKERS)`);
  }, FAILS_WITHIN_MS + 10_000);
});
