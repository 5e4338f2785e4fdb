import { loadDotEnv, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import { createKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { runService } from '@login-stream/telemetry';
import { loadInsightsConfig } from './insights-config';
import { InsightsService } from './insights-service';

async function main(): Promise<void> {
  loadDotEnv();
  const pipeline = loadPipelineConfig();
  const config = loadInsightsConfig();
  const ops = loadOpsConfig('insights');
  const logger = createLogger({ service: 'insights', level: pipeline.logLevel });
  const kafka = createKafka(pipeline.kafka, logger);
  await runService({
    name: 'insights',
    logger,
    ops,
    create: ({ metrics, onFatal }) => new InsightsService({ kafka, logger, pipeline, config, onFatal, ...(metrics !== undefined && { metrics }) }),
    onStarted: () =>
      logger.info(
        { groupId: config.groupId, mergeGroupId: config.mergeGroupId, windows: config.sizes.map((s) => s.label), graceMs: config.graceMs, idleMs: config.idleMs, topics: { ...pipeline.topics, partials: config.partialsTopic }, httpPort: ops.httpPort },
        'insights started',
      ),
  });
}

main().catch((err: unknown) => {
  // Configuration errors happen before there is a logger; report them as one NDJSON line.
  process.stdout.write(`${JSON.stringify({ level: 'fatal', service: 'insights', msg: 'insights failed to start', err: String(err) })}\n`);
  process.exit(1);
});
