import { loadDotEnv, loadPipelineConfig } from '@login-stream/config';
import { createKafka, keepLivenessFile, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { LoginProcessor } from './login-processor';
import { loadProcessorConfig } from './processor-config';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadProcessorConfig();
  const logger = createLogger({ service: 'login-processor', level: pipeline.logLevel });

  const fail = (err: unknown): void => {
    logger.fatal({ err }, 'login processor failed');
    logger.flush(() => process.exit(1));
  };
  const kafka = createKafka(pipeline.kafka, logger);
  const processor = new LoginProcessor({ kafka, logger, pipeline, config, onFatal: fail });
  let stopLiveness = (): void => undefined;
  trapShutdownSignals({
    logger,
    shutdown: () => {
      stopLiveness();
      return processor.stop();
    },
  });
  try {
    await processor.start();
  } catch (err) {
    fail(err);
    return;
  }
  stopLiveness = keepLivenessFile(pipeline.healthFile);
  logger.info(
    { groupId: config.groupId, summaryGroupId: config.summaryGroupId, topics: pipeline.topics, rules: config.rules },
    'login processor started',
  );
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'login-processor', msg: 'login processor failed to start', err: String(err) })}\n`);
  process.exit(1);
});
