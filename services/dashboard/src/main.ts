import { loadDotEnv, loadGroupNames, loadPipelineConfig } from '@login-stream/config';
import { createKafka, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { Dashboard } from './dashboard';
import { loadDashboardConfig } from './dashboard-config';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const groups = loadGroupNames();
  const config = loadDashboardConfig();
  const logger = createLogger({ service: 'dashboard', level: pipeline.logLevel });
  const fail = (err: unknown): void => {
    logger.fatal({ err }, 'dashboard failed');
    logger.flush(() => process.exit(1));
  };
  const dashboard = new Dashboard({ kafka: createKafka(pipeline.kafka, logger), logger, pipeline, groups, config });
  trapShutdownSignals({ logger, shutdown: () => dashboard.stop() });
  try {
    await dashboard.start();
  } catch (err) {
    fail(err);
    return;
  }
  logger.info({ url: `http://localhost:${dashboard.port}`, historyMs: config.historyMs }, 'dashboard started');
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'dashboard', msg: 'dashboard failed to start', err: String(err) })}\n`);
  process.exit(1);
});
