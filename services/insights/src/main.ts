import { loadDotEnv, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import { createKafka, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { serveOperations } from '@login-stream/telemetry';
import { loadInsightsConfig } from './insights-config';
import { InsightsService } from './insights-service';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadInsightsConfig();
  const opsConfig = loadOpsConfig('insights');
  const logger = createLogger({ service: 'insights', level: pipeline.logLevel });

  const ops = await serveOperations(opsConfig, logger);
  const fail = (err: unknown): void => {
    ops.health.failed(err instanceof Error ? err.message : String(err));
    logger.fatal({ err }, 'insights failed');
    logger.flush(() => process.exit(1));
  };
  const kafka = createKafka(pipeline.kafka, logger);
  const service = new InsightsService({ kafka, logger, pipeline, config, onFatal: fail, ...(ops.metrics !== undefined && { metrics: ops.metrics }) });
  ops.health.setReadiness(() => service.readiness());
  trapShutdownSignals({
    logger,
    shutdown: async () => {
      // Unready and unhealthy first, so nothing routes to or restarts a process on its way out.
      ops.health.shuttingDown();
      await service.stop();
      await ops.close();
    },
  });
  try {
    await service.start();
  } catch (err) {
    fail(err);
    return;
  }
  logger.info(
    { groupId: config.groupId, mergeGroupId: config.mergeGroupId, windows: config.sizes.map((s) => s.label), graceMs: config.graceMs, idleMs: config.idleMs, topics: { ...pipeline.topics, partials: config.partialsTopic }, httpPort: opsConfig.httpPort },
    'insights started',
  );
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'insights', msg: 'insights failed to start', err: String(err) })}\n`);
  process.exit(1);
});
