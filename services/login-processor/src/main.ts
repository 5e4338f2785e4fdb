import { loadDotEnv, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import { createKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { runService } from '@login-stream/telemetry';
import { LoginProcessor } from './login-processor';
import { loadProcessorConfig } from './processor-config';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadProcessorConfig();
  const ops = loadOpsConfig('login-processor');
  const logger = createLogger({ service: 'login-processor', level: pipeline.logLevel });
  const kafka = createKafka(pipeline.kafka, logger);
  await runService({
    name: 'login processor',
    logger,
    ops,
    create: ({ metrics, onFatal }) => new LoginProcessor({ kafka, logger, pipeline, config, onFatal, ...(metrics !== undefined && { metrics }) }),
    onStarted: () =>
      logger.info(
        { groupId: config.groupId, summaryGroupId: config.summaryGroupId, topics: pipeline.topics, rules: config.rules, httpPort: ops.httpPort },
        'login processor started',
      ),
  });
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'login-processor', msg: 'login processor failed to start', err: String(err) })}\n`);
  process.exit(1);
});
