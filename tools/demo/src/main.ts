import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HTTP_PORTS, loadDashboardPort, loadDotEnv, loadGroupNames, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import type { OpsService } from '@login-stream/config';
import { LoginStreamError } from '@login-stream/errors';
import { createKafka, ensureTopics, pipelineTopicSpecs, trapShutdownSignals } from '@login-stream/kafka';
import { startBroker, uniqueName } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { startReconciliationLoop } from '@login-stream/reconcile';
import { loadDemoConfig } from './demo-config';
import { startFlowMonitor } from './flow-monitor';
import { renderFlow } from './render-flow';
import { startService } from './service-process';

const REPO = path.resolve(__dirname, '../../..');
const PROCESSOR = path.join(REPO, 'services/login-processor/dist/main.js');
const PRODUCER = path.join(REPO, 'services/producer/dist/main.js');
const INSIGHTS = path.join(REPO, 'services/insights/dist/main.js');
const DASHBOARD = path.join(REPO, 'services/dashboard/dist/main.js');

async function main(): Promise<void> {
  loadDotEnv();
  const demo = loadDemoConfig(process.env);
  // The demo's own log lines go to stderr; stdout belongs to the live view.
  const logger = createLogger({ service: 'demo', level: loadPipelineConfig(process.env).logLevel, destination: 2 });

  const broker = await startBroker();
  logger.info({ kind: broker.kind, bootstrapServers: broker.bootstrapServers }, 'broker ready');
  const env = { ...process.env, KAFKA_BROKERS: broker.bootstrapServers };
  const config = loadPipelineConfig(env);
  // Each service on its own default port (HTTP_PORT=0 turns them all off): one HTTP_PORT for three would clash.
  const httpOff = loadOpsConfig('producer', env).httpPort === 0;
  const envOf = (service: OpsService) => ({ ...env, HTTP_PORT: httpOff ? '0' : String(DEFAULT_HTTP_PORTS[service]) });

  const kafka = createKafka(config.kafka, logger.child({}, { level: 'warn' }));
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, pipelineTopicSpecs(config), { logger });
  await admin.disconnect();

  const logDir = path.join(REPO, '.kafka-local', 'demo-logs');
  mkdirSync(logDir, { recursive: true });
  const processor = startService('login-processor', PROCESSOR, [], envOf('login-processor'), path.join(logDir, 'login-processor.log'));
  const insights = startService('insights', INSIGHTS, [], envOf('insights'), path.join(logDir, 'insights.log'));
  const producer = startService(
    'producer',
    PRODUCER,
    ['generate', '--rate', String(demo.rate), '--bad-share', String(demo.badPercent / 100)],
    envOf('producer'),
    path.join(logDir, 'producer.log'),
  );
  const dashboard = startService('dashboard', DASHBOARD, [], env, path.join(logDir, 'dashboard.log'));
  const dashboardPort = loadDashboardPort(env);
  logger.info({ logDir }, 'services started; their logs are in logDir');
  // On stderr, like the demo's other lines: stdout is the live view.
  process.stderr.write(`dashboard: ${dashboardPort === 0 ? `on a free port (see ${path.join(logDir, 'dashboard.log')})` : `http://localhost:${dashboardPort}`}\n`);
  if (!httpOff) {
    const endpoints = Object.fromEntries(Object.entries(DEFAULT_HTTP_PORTS).map(([service, port]) => [service, `http://localhost:${port}/metrics`]));
    logger.info({ endpoints }, 'each service serves /metrics, /healthz and /readyz');
  }

  const monitor = await startFlowMonitor(kafka, config.topics, uniqueName('demo-monitor'));
  const checkAdmin = kafka.admin();
  await checkAdmin.connect();
  const reconciliation = startReconciliationLoop({ kafka, admin: checkAdmin, topics: config.topics, groups: loadGroupNames(env), intervalMs: demo.checkIntervalMs, logger });
  const tty = process.stdout.isTTY;
  const draw = (): void => {
    const snapshot = monitor.stats.snapshot(Date.now());
    // On a terminal redraw in place; elsewhere append one JSON line per refresh.
    if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderFlow(snapshot, config.topics, reconciliation.latest().line).join('\n')}\n`);
    else process.stdout.write(`${JSON.stringify({ ...snapshot, reconciliation: reconciliation.latest().line })}\n`);
  };
  const timer = setInterval(draw, demo.refreshMs);

  const failed = (name: string) => (code: number | string) => {
    if (!stopping) logger.error({ service: name, code }, 'a service exited on its own; Ctrl-C to stop the demo');
  };
  let stopping = false;
  void processor.exited.then(failed(processor.name));
  void producer.exited.then(failed(producer.name));
  void insights.exited.then(failed(insights.name));
  void dashboard.exited.then(failed(dashboard.name));

  trapShutdownSignals({
    logger,
    timeoutMs: 30_000,
    shutdown: async () => {
      stopping = true;
      clearInterval(timer);
      // Producer first so the processor can drain what was sent before it stops; insights last.
      const producerExit = await producer.stop('SIGINT', 12_000);
      const [processorExit, insightsExit, dashboardExit] = await Promise.all([processor.stop('SIGTERM', 12_000), insights.stop('SIGTERM', 12_000), dashboard.stop('SIGTERM', 12_000)]);
      // The last view carries a check of everything the stopped services committed.
      reconciliation.stop();
      await reconciliation.checkNow();
      draw();
      await checkAdmin.disconnect();
      logger.info({ producerExit, processorExit, insightsExit, dashboardExit }, 'services stopped');
      await monitor.stop();
      await broker.stop();
      if (producerExit !== 0 || processorExit !== 0 || insightsExit !== 0 || dashboardExit !== 0) {
        throw new LoginStreamError('UNEXPECTED', `a service did not stop cleanly (producer: ${producerExit}, processor: ${processorExit}, insights: ${insightsExit}, dashboard: ${dashboardExit})`);
      }
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
