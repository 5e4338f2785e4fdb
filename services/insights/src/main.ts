import { loadDotEnv, loadPipelineConfig } from '@login-stream/config';
import { createKafka, keepLivenessFile, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { loadInsightsConfig } from './insights-config';
import { InsightsService } from './insights-service';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadInsightsConfig();
  const logger = createLogger({ service: 'insights', level: pipeline.logLevel });

  const fail = (err: unknown): void => {
    logger.fatal({ err }, 'insights failed');
    logger.flush(() => process.exit(1));
  };
  const kafka = createKafka(pipeline.kafka, logger);
  const service = new InsightsService({ kafka, logger, pipeline, config, onFatal: fail });
  let stopLiveness = (): void => undefined;
  trapShutdownSignals({
    logger,
    shutdown: () => {
      stopLiveness();
      return service.stop();
    },
  });
  try {
    await service.start();
  } catch (err) {
    fail(err);
    return;
  }
  stopLiveness = keepLivenessFile(pipeline.healthFile);
  logger.info(
    { groupId: config.groupId, mergeGroupId: config.mergeGroupId, windows: config.sizes.map((s) => s.label), graceMs: config.graceMs, idleMs: config.idleMs, topics: { ...pipeline.topics, partials: config.partialsTopic } },
    'insights started',
  );
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'insights', msg: 'insights failed to start', err: String(err) })}\n`);
  process.exit(1);
});
