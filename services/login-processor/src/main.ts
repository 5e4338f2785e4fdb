import { loadDotEnv, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import { createKafka, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { serveOperations } from '@login-stream/telemetry';
import { LoginProcessor } from './login-processor';
import { loadProcessorConfig } from './processor-config';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadProcessorConfig();
  const opsConfig = loadOpsConfig('login-processor');
  const logger = createLogger({ service: 'login-processor', level: pipeline.logLevel });

  const ops = await serveOperations(opsConfig, logger);
  const fail = (err: unknown): void => {
    ops.health.failed(err instanceof Error ? err.message : String(err));
    logger.fatal({ err }, 'login processor failed');
    logger.flush(() => process.exit(1));
  };
  const kafka = createKafka(pipeline.kafka, logger);
  const processor = new LoginProcessor({ kafka, logger, pipeline, config, onFatal: fail, ...(ops.metrics !== undefined && { metrics: ops.metrics }) });
  ops.health.setReadiness(() => processor.readiness());
  trapShutdownSignals({
    logger,
    shutdown: async () => {
      // Unready and unhealthy first, so nothing routes to or restarts a process on its way out.
      ops.health.shuttingDown();
      await processor.stop();
      await ops.close();
    },
  });
  try {
    await processor.start();
  } catch (err) {
    fail(err);
    return;
  }
  logger.info(
    { groupId: config.groupId, summaryGroupId: config.summaryGroupId, topics: pipeline.topics, rules: config.rules, httpPort: opsConfig.httpPort },
    'login processor started',
  );
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'login-processor', msg: 'login processor failed to start', err: String(err) })}\n`);
  process.exit(1);
});
