import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@login-stream/logger';
import { Health } from './health';
import { startOpsServer } from './ops-server';
import type { OpsServer } from './ops-server';
import { PipelineMetrics } from './pipeline-metrics';
import { notReady, READY } from './readiness';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('the operations HTTP server', () => {
  let server: OpsServer;
  let health: Health;
  let metrics: PipelineMetrics;
  const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

  beforeEach(async () => {
    health = new Health();
    metrics = new PipelineMetrics();
    metrics.reportReadiness(() => health.ready());
    server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, health, logger });
  });

  afterEach(async () => {
    await server.close();
  });

  it('when the service has not said it is ready, then /readyz is 503 "starting" and /healthz is 200', async () => {
    const ready = await get('/readyz');
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable', reason: 'starting' }]);
    const live = await get('/healthz');
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it("when the service's check passes, then /readyz is 200; when it fails, 503 with its reason", async () => {
    let state = READY;
    health.setReadiness(() => state);
    expect((await get('/readyz')).status).toBe(200);
    state = notReady('stage routing is not in group g (joining or rebalancing)');
    const res = await get('/readyz');
    expect([res.status, await res.json()]).toEqual([503, { status: 'unavailable', reason: 'stage routing is not in group g (joining or rebalancing)' }]);
  });

  it('when shutting down, then /healthz and /readyz are 503 though the check still passes', async () => {
    health.setReadiness(() => READY);
    health.shuttingDown();
    const [live, ready] = await Promise.all([get('/healthz'), get('/readyz')]);
    expect([live.status, ready.status]).toEqual([503, 503]);
    expect(await live.json()).toEqual({ status: 'unavailable', reason: 'shutting down' });
  });

  it('when the service is failing, then /healthz is 503 naming the first failure', async () => {
    health.failed('the broker refused the transactional id');
    health.failed('a later failure');
    const res = await get('/healthz');
    expect([res.status, await res.json()]).toEqual([503, { status: 'unavailable', reason: 'failing: the broker refused the transactional id' }]);
  });

  it('when /metrics is scraped, then it answers the Prometheus text format with process metrics and login_stream_ready', async () => {
    health.setReadiness(() => READY);
    metrics.recordsOut.inc({ stage: 'routing', topic: 'processed-logins' }, 3);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^login_stream_ready 1$/m);
    expect(text).toMatch(/^login_stream_records_out_total\{stage="routing",topic="processed-logins"\} 3$/m);
    expect(text).toMatch(/^# TYPE login_stream_records_out_total counter$/m);
  });

  it('when a path is unknown, then 404; when the method is not GET or HEAD, then 405', async () => {
    expect((await get('/metric')).status).toBe(404);
    const post = await get('/metrics', { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('when a client keeps its connection open, then close() still finishes at once', async () => {
    await (await get('/healthz', { headers: { connection: 'keep-alive' } })).text();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, health, logger });
  });
});

describe('starting the operations HTTP server', () => {
  it('when the port is taken, then it fails with CONFIG_INVALID naming HTTP_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startOpsServer({ host: '127.0.0.1', port, metrics: new PipelineMetrics(), health: new Health(), logger })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`HTTP_HOST/HTTP_PORT: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`),
        details: { variables: ['HTTP_PORT', 'HTTP_HOST'] },
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
