import { dropUnsetVariables, loadDotEnv, loadOpsConfig, loadPipelineConfig } from '@login-stream/config';
import type { OpsConfig, PipelineConfig } from '@login-stream/config';
import { LoginStreamError, isLoginStreamError } from '@login-stream/errors';
import { compressionType, CONNECT_TIMEOUT_MS, createKafka, pipelineTopicSpecs, trapShutdownSignals } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import type { TopicSpec } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import { serveOperations } from '@login-stream/telemetry';
import type { Operations } from '@login-stream/telemetry';
import { parseCli } from './cli';
import type { CliCommand } from './cli';
import { replayedMessages } from './replay/replayed-messages';
import { produce } from './run/produce';
import { ProducerStatus } from './run/producer-status';
import { runIdentity } from './run/run-identity';
import type { RunSummary } from './run/progress';

const SERVICE = 'producer';
/** Flushing a few batches takes milliseconds; this only bounds a broker that went away. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

async function run(cli: CliCommand, config: PipelineConfig, logger: Logger, signal: AbortSignal, status: ProducerStatus): Promise<RunSummary> {
  const { options } = cli;
  // The shared definition of user-login (partitions, replication, configs), under --topic's name.
  const topics = pipelineTopicSpecs({ ...config, topics: { ...config.topics, userLogin: options.topic } });
  const topic = topics.find((spec) => spec.name === options.topic) as TopicSpec;
  const context = {
    kafka: createKafka(config.kafka, logger),
    logger,
    brokers: config.kafka.brokers,
    topic,
    signal,
    status,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    outageTimeoutMs: config.outageTimeoutMs,
    compression: compressionType(config.compression),
    ...(options.resume && { resumeRunId: runIdentity(cli) }),
    ...(process.stderr.isTTY && { terminal: process.stderr }),
  };
  const settings = { rate: options.rate, batchMessages: options.batchSize };
  if (cli.command === 'generate') {
    // Loaded here so a replay does not carry the generator's fake-data tables (~30 MB).
    const { generatedMessages } = await import('./generate/generated-messages.js');
    logger.info({ seed: cli.options.seed, startMs: cli.options.startMs, count: cli.options.count }, 'generating');
    return produce(generatedMessages(cli.options), settings, context);
  }
  const source = await replayedMessages(cli.options.file, cli.options.mappings);
  logger.info({ file: cli.options.file, mappings: cli.options.mappings }, 'replaying');
  return produce(source, settings, context);
}

function reportFailure(logger: Logger, err: unknown): void {
  const code = isLoginStreamError(err) ? err.code : 'UNEXPECTED';
  logger.error({ err, code }, 'producer failed');
  if (process.stderr.isTTY) process.stderr.write(`producer failed (${code}): ${err instanceof Error ? err.message : String(err)}\n`);
}

async function main(): Promise<number> {
  loadDotEnv();
  // An empty PRODUCER_* (as docker-compose passes an unset one) takes the option's default, as everywhere else.
  dropUnsetVariables(process.env);
  const cli = parseCli(process.argv.slice(2));
  let config: PipelineConfig;
  let opsConfig: OpsConfig;
  try {
    config = loadPipelineConfig();
    opsConfig = loadOpsConfig(SERVICE);
  } catch (err) {
    reportFailure(createLogger({ service: SERVICE }), err);
    return 1;
  }
  const logger = createLogger({ service: SERVICE, level: config.logLevel }).child({ command: cli.command });

  let ops: Operations;
  try {
    ops = await serveOperations(opsConfig, logger);
  } catch (err) {
    reportFailure(logger, err);
    return 1;
  }
  const status = new ProducerStatus(ops.metrics);
  ops.health.setReadiness(() => status.readiness());
  const stop = new AbortController();
  const outcome = run(cli, config, logger, stop.signal, status).then(
    () => 0,
    (err: unknown) => {
      ops.health.failed(err instanceof Error ? err.message : String(err));
      reportFailure(logger, err);
      return 1;
    },
  );
  trapShutdownSignals({
    logger,
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    // Stop reading, let the run flush and summarize; its outcome decides the exit code.
    shutdown: async () => {
      ops.health.shuttingDown();
      stop.abort();
      if ((await outcome) !== 0) throw new LoginStreamError('UNEXPECTED', 'the run failed while stopping');
    },
  });
  return outcome;
}

void main().then((code) => process.exit(code));
