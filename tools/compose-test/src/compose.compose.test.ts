import { collectMessages, freePorts, uniqueName, waitUntil } from '@login-stream/kafka-testing';
import { windowInsightsSchema } from '@login-stream/schema';
import { Kafka, logLevel } from 'kafkajs';
import { ComposeProject, imageSize } from './compose-project';

// `docker-compose up --build` of the repository's docker-compose.yml, checked from outside the
// containers. tools/compose-test/prepare.sh (run by `npm run test:compose` first) provides
// the runtime and any image no registry serves here.

const SERVICES = ['producer', 'login-processor', 'insights', 'dashboard'];
const OPS_SERVICES = ['producer', 'login-processor', 'insights'];
const say = (line: string) => process.stdout.write(`compose test: ${line}\n`);
const seconds = (fromMs: number) => `${((Date.now() - fromMs) / 1000).toFixed(1)} s`;

describe('the docker-compose stack', () => {
  let project: ComposeProject;
  let kafka: Kafka;
  let opsPorts: Record<string, number>;

  beforeAll(async () => {
    const [kafkaPort, uiPort, producerPort, processorPort, insightsPort, dashboardPort] = await freePorts(6);
    opsPorts = { producer: producerPort, 'login-processor': processorPort, insights: insightsPort, dashboard: dashboardPort };
    // Its own name and host ports, so it runs beside anything else on the machine.
    project = new ComposeProject(uniqueName('lstest').toLowerCase().replace(/[^a-z0-9]/g, ''), {
      KAFKA_HOST_PORT: String(kafkaPort),
      KAFKA_UI_PORT: String(uiPort),
      HOST_PORT_PRODUCER: String(producerPort),
      HOST_PORT_PROCESSOR: String(processorPort),
      HOST_PORT_INSIGHTS: String(insightsPort),
      HOST_PORT_DASHBOARD: String(dashboardPort),
      PRODUCER_RATE: '100',
      STATS_INTERVAL_MS: '5000',
    });
    kafka = new Kafka({ clientId: 'compose-test', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
    say(`project ${project.name}, Kafka on localhost:${kafkaPort}, kafka-ui on localhost:${uiPort}`);
  });

  afterAll(async () => {
    await project?.down();
  }, 240_000);

  it('when it comes up with --build, then every container passes its healthcheck', async () => {
    const started = Date.now();
    await project.compose(['build'], 20 * 60_000);
    say(`image built in ${seconds(started)}, ${((await imageSize('login-stream:local')) / 1e6).toFixed(0)} MB`);
    const up = Date.now();
    await project.compose(['up', '--build', '-d'], 10 * 60_000);
    await waitUntil(async () => {
      const containers = await project.containers();
      return containers.length === 7 && containers.every((c) => c.health === 'healthy');
    }, { timeoutMs: 5 * 60_000, intervalMs: 1_000, description: 'every container healthy' });
    say(`up to all healthy in ${seconds(up)}`);
    expect((await project.containers()).map((c) => c.service).sort()).toEqual(['dashboard', 'insights', 'kafka', 'kafka-ui', 'login-processor', 'producer', 'zookeeper']);
  }, 30 * 60_000);

  it('when the producer runs, then logins flow to processed-logins, user-login-dlq, user-summary and login-insights', async () => {
    const started = Date.now();
    for (const topic of ['processed-logins', 'user-login-dlq', 'user-summary']) {
      const [message] = await collectMessages(kafka, { topic, count: 1, timeoutMs: 120_000 });
      expect(message.value?.length).toBeGreaterThan(0);
    }
    // The first 1m window closes once event time passes its end plus the 5 s grace.
    const [result] = await collectMessages(kafka, { topic: 'login-insights', count: 1, timeoutMs: 180_000 });
    const insights = windowInsightsSchema.parse(JSON.parse(String(result.value)));
    expect(insights.logins).toBeGreaterThan(0);
    say(`first login-insights record ${seconds(started)} after all were healthy: ${insights.window_size} ${insights.window_start}, ${insights.logins} logins`);
  }, 6 * 60_000);

  it('when the services run, then each answers /readyz with 200 and counts its output records on /metrics, on its published port', async () => {
    for (const service of OPS_SERVICES) {
      const base = `http://127.0.0.1:${opsPorts[service]}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const written = [...metrics.matchAll(/^login_stream_records_out_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(written).toBeGreaterThan(0);
    }
  }, 60_000);

  it('when the dashboard runs, then its page and every asset it loads come from it, and its event stream opens with a snapshot holding a window', async () => {
    const base = `http://127.0.0.1:${opsPorts['dashboard']}`;
    const page = await (await fetch(`${base}/`)).text();
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/app.css', '/app.js', '/vendor/uPlot.iife.min.js', '/vendor/uPlot.min.css']);
    for (const asset of assets) expect([asset, (await fetch(`${base}${asset}`)).status]).toEqual([asset, 200]);
    const events = await fetch(`${base}/events`);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: snapshot\ndata: ') || !text.slice(text.indexOf('event: snapshot')).includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const data = text.slice(text.indexOf('event: snapshot\ndata: ') + 'event: snapshot\ndata: '.length, text.indexOf('\n\n', text.indexOf('event: snapshot')));
    const snapshot = JSON.parse(data) as { minutes: unknown[]; flows: Array<{ topic: string; records: number }> };
    expect(snapshot.minutes.length).toBeGreaterThan(0);
    expect(snapshot.flows.filter((f) => ['input', 'processed', 'summary', 'insights'].includes(f.topic)).every((f) => f.records > 0)).toBe(true);
  }, 60_000);

  it('when it is stopped, then every service exits 0 (a clean SIGTERM shutdown)', async () => {
    await project.compose(['stop'], 120_000);
    const states = (await project.containers()).filter((c) => SERVICES.includes(c.service));
    expect(states.map((c) => [c.service, c.status, c.exitCode]).sort()).toEqual(SERVICES.map((s) => [s, 'exited', 0]).sort());
  }, 3 * 60_000);

  it('when a service is started with a bad variable, then it exits non-zero and its log names the variable', async () => {
    await project.compose(['up', '-d', '--no-deps', 'zookeeper', 'kafka'], 120_000);
    await project.compose(['up', '-d', '--no-deps', 'insights'], 120_000, { INSIGHTS_GRACE_MS: 'soon' });
    await waitUntil(async () => {
      const insights = (await project.containers()).find((c) => c.service === 'insights');
      return insights !== undefined && insights.status !== 'running' && insights.exitCode !== 0;
    }, { timeoutMs: 60_000, intervalMs: 250, description: 'insights to exit on INSIGHTS_GRACE_MS=soon' });
    const logs = await project.compose(['logs', '--no-color', 'insights']);
    expect(logs).toMatch(/CONFIG_INVALID|Invalid configuration/);
    expect(logs).toContain('INSIGHTS_GRACE_MS');
  }, 5 * 60_000);

  it('when it is taken down with -v, then no container or volume of it is left', async () => {
    await project.down();
    expect(await project.containers()).toEqual([]);
    expect(await project.volumes()).toEqual([]);
  }, 4 * 60_000);
});
