import type { PipelineConfig } from '@login-stream/config';
import { ExactlyOnceStage } from '@login-stream/exactly-once';
import { LoginStreamError } from '@login-stream/errors';
import { compressionType, ensureTopics, pipelineTopicSpecs, reachKafka } from '@login-stream/kafka';
import { logPeriodically } from '@login-stream/logger';
import type { Logger } from '@login-stream/logger';
import { notReady, servicesReadiness, StageMetrics } from '@login-stream/telemetry';
import type { PipelineMetrics, Readiness } from '@login-stream/telemetry';
import type { CommittedBatch } from '@login-stream/exactly-once';
import type { Admin, Kafka } from 'kafkajs';
import type { ProcessorConfig } from './processor-config';
import { createRoutingHandler } from './routing/routing-stage';
import { ProcessorStats } from './stats';
import { createSummaryRestore } from './summary/summary-restore';
import { createSummaryHandler } from './summary/summary-stage';
import type { SummaryState } from './summary/summary-stage';

const SUMMARY_FETCH_MAX_WAIT_MS = 250;

export interface LoginProcessorOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly pipeline: Pick<PipelineConfig, 'kafka' | 'topics' | 'topicPartitions' | 'topicReplicationFactor' | 'outageTimeoutMs' | 'compression'>;
  readonly config: ProcessorConfig;
  /** Called when the processor cannot go on; the caller exits non-zero. */
  readonly onFatal: (err: unknown) => void;
  /** The service's metrics, moved by both stages when set. */
  readonly metrics?: PipelineMetrics;
  readonly clock?: () => number;
}

/**
 * The login processor: two exactly-once stages in one process.
 *   routing: user-login → processed-logins (keyed by user_id) | user-login-dlq
 *   summary: processed-logins → user-summary (compacted)
 * The summary stage reads processed-logins rather than user-login because only there are a
 * user's logins guaranteed to share one partition, whatever the keys on user-login are.
 */
export class LoginProcessor {
  readonly stats = new ProcessorStats();
  private readonly admin: Admin;
  private stages: { routing: ExactlyOnceStage<undefined>; summary: ExactlyOnceStage<SummaryState> } | undefined;
  private stopStats: (() => void) | undefined;

  constructor(private readonly options: LoginProcessorOptions) {
    this.admin = options.kafka.admin();
  }

  async start(): Promise<void> {
    const { kafka, logger, pipeline, config, onFatal, clock, metrics } = this.options;
    const { topics } = pipeline;
    await reachKafka(this.admin.connect(), { brokers: pipeline.kafka.brokers });
    const mine = new Set([topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]);
    await ensureTopics(this.admin, pipelineTopicSpecs(pipeline).filter((spec) => mine.has(spec.name)), { logger });
    const partitions = await this.partitionCounts([topics.userLogin, topics.processedLogins, topics.userSummary]);
    const processedPartitions = partitions.get(topics.processedLogins) ?? 0;
    const summaryPartitions = partitions.get(topics.userSummary) ?? 0;
    if (summaryPartitions < processedPartitions) {
      throw new LoginStreamError(
        'TOPIC_SETUP_FAILED',
        `${topics.userSummary} has ${summaryPartitions} partitions but ${topics.processedLogins} has ${processedPartitions}: the summaries of each ${topics.processedLogins} partition live in the ${topics.userSummary} partition with the same number`,
      );
    }

    const common = {
      kafka,
      admin: this.admin,
      logger,
      deadLetterTopic: topics.deadLetter,
      transactionalIdPrefix: config.transactionalIdPrefix,
      transactionTimeoutMs: config.transactionTimeoutMs,
      sessionTimeoutMs: config.sessionTimeoutMs,
      maxBytesPerPartition: config.maxBytesPerPartition,
      outageTimeoutMs: pipeline.outageTimeoutMs,
      compression: compressionType(pipeline.compression),
      onFatal,
      onCommitted: (batch: CommittedBatch) => this.stats.addCommitted(batch),
      ...(clock !== undefined && { clock }),
    };
    const routing = new ExactlyOnceStage({
      ...common,
      name: 'routing',
      ...(metrics !== undefined && { metrics: new StageMetrics(metrics, 'routing') }),
      groupId: config.groupId,
      // Latency matters here: fetch as soon as anything arrived.
      fetchMaxWaitMs: 1_000,
      fetchMinBytes: 1,
      inputTopic: topics.userLogin,
      inputPartitions: partitions.get(topics.userLogin) ?? 1,
      outputTopics: [topics.processedLogins],
      handler: createRoutingHandler({ input: topics.userLogin, processed: topics.processedLogins }, config.rules, clock),
    });
    const restore = createSummaryRestore({
      kafka,
      admin: this.admin,
      logger,
      summaryTopic: topics.userSummary,
      groupPrefix: `${config.summaryGroupId}-restore`,
      timeoutMs: config.stateRestoreTimeoutMs,
    });
    const summary = new ExactlyOnceStage({
      ...common,
      name: 'summary',
      ...(metrics !== undefined && { metrics: new StageMetrics(metrics, 'summary') }),
      groupId: config.summaryGroupId,
      // Summaries may trail by a fraction of a second; fewer, larger transactions leave the
      // transaction coordinator to the routing stage.
      fetchMaxWaitMs: SUMMARY_FETCH_MAX_WAIT_MS,
      fetchMinBytes: 1024 * 1024,
      inputTopic: topics.processedLogins,
      inputPartitions: processedPartitions,
      outputTopics: [topics.userSummary],
      handler: createSummaryHandler(topics.userSummary, restore, logger),
    });
    this.stages = { routing, summary };
    this.stopStats = logPeriodically(logger, config.statsIntervalMs, 'stats', () => this.stats.snapshot());
    await Promise.all([routing.start(), summary.start()]);
  }

  /** Ready while both stages are (see ExactlyOnceStage.readiness) and hold input partitions. */
  readiness(): Readiness {
    const { stages } = this;
    if (stages === undefined) return notReady('not started');
    return servicesReadiness([stages.routing.readiness(), stages.summary.readiness()]);
  }

  /** Finishes the batches in hand and their transactions, then disconnects everything. */
  async stop(): Promise<void> {
    const stages = this.stages;
    this.stages = undefined;
    if (stages !== undefined) await Promise.all([stages.routing.stop(), stages.summary.stop()]);
    this.stopStats?.();
    this.stopStats = undefined;
    await this.admin.disconnect();
  }

  private async partitionCounts(names: readonly string[]): Promise<Map<string, number>> {
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [...names] });
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  }
}
