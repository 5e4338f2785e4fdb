import type { PipelineConfig } from '@login-stream/config';
import { ExactlyOnceStage } from '@login-stream/exactly-once';
import type { CommittedBatch } from '@login-stream/exactly-once';
import { LoginStreamError } from '@login-stream/errors';
import { compressionType, ensureTopics, PROCESSED_LOGIN_HEADROOM_BYTES, pipelineTopicSpecs, reachKafka, readMaxMessageBytes } from '@login-stream/kafka';
import { logPeriodically } from '@login-stream/logger';
import type { Logger } from '@login-stream/logger';
import { notReady, servicesReadiness, StageMetrics } from '@login-stream/telemetry';
import type { PipelineMetrics, Readiness } from '@login-stream/telemetry';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { InsightsConfig } from './insights-config';
import type { MergedWindows } from './merge/merged-windows';
import { createMergeHandler } from './stages/merge-stage';
import { replayRange } from './stages/replay-range';
import { createWindowingHandler } from './stages/windowing-stage';
import type { WindowingLane } from './stages/windowing-stage';
import { InsightsStats } from './stats';

/** The merge checkpoint holds a mark per input partition within offset.metadata.max.bytes (4096 by default). */
const MAX_INPUT_PARTITIONS = 64;

export interface InsightsServiceOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly pipeline: Pick<PipelineConfig, 'kafka' | 'topics' | 'topicPartitions' | 'topicReplicationFactor' | 'outageTimeoutMs' | 'compression'>;
  readonly config: InsightsConfig;
  readonly onFatal: (err: unknown) => void;
  /** The service's metrics, moved by both stages when set. */
  readonly metrics?: PipelineMetrics;
  readonly clock?: () => number;
}

/**
 * The insights service: two exactly-once stages in one process.
 *   windowing: processed-logins → partials (internal, 1 partition) | login-insights-late
 *   merge:     partials → login-insights | login-insights-late
 * Any number of instances share the windowing partitions; the merge runs on whichever holds the
 * partials partition, so results do not depend on how many run.
 */
export class InsightsService {
  readonly stats: InsightsStats;
  private readonly admin: Admin;
  private stages: { windowing: ExactlyOnceStage<WindowingLane>; merge: ExactlyOnceStage<MergedWindows> } | undefined;
  private stopStats: (() => void) | undefined;

  constructor(private readonly options: InsightsServiceOptions) {
    this.admin = options.kafka.admin();
    this.stats = new InsightsStats(options.metrics);
  }

  async start(): Promise<void> {
    const { kafka, logger, pipeline, config, onFatal, clock, metrics } = this.options;
    const { topics } = pipeline;
    await reachKafka(this.admin.connect(), { brokers: pipeline.kafka.brokers });
    const mine = new Set([topics.processedLogins, topics.deadLetter, topics.loginInsights, topics.loginInsightsLate]);
    await ensureTopics(this.admin, pipelineTopicSpecs(pipeline).filter((spec) => mine.has(spec.name)), { logger });
    // Late and straggler records carry a processed login whole: their topics must take what processed-logins takes.
    const limits = await readMaxMessageBytes(this.admin, [topics.processedLogins, topics.loginInsightsLate]);
    const needed = (limits.get(topics.processedLogins) ?? 0) + PROCESSED_LOGIN_HEADROOM_BYTES;
    const lateLimit = limits.get(topics.loginInsightsLate) ?? 0;
    if (lateLimit < needed) {
      logger.warn({ topic: topics.loginInsightsLate, maxMessageBytes: lateLimit, needed }, 'the late topic takes less than a processed login with headers: the largest late logins would be dead-lettered as RECORD_TOO_LARGE');
    }
    await ensureTopics(this.admin, [{ name: config.partialsTopic, partitions: 1, replicationFactor: pipeline.topicReplicationFactor, configs: { 'max.message.bytes': String(needed) } }], { logger });
    const { topics: meta } = await this.admin.fetchTopicMetadata({ topics: [topics.processedLogins, config.partialsTopic] });
    const inputPartitions = meta.find((t) => t.name === topics.processedLogins)?.partitions.length ?? 0;
    const partialsPartitions = meta.find((t) => t.name === config.partialsTopic)?.partitions.length ?? 0;
    if (inputPartitions > MAX_INPUT_PARTITIONS || partialsPartitions !== 1) {
      throw new LoginStreamError(
        'TOPIC_SETUP_FAILED',
        `insights needs ${topics.processedLogins} with at most ${MAX_INPUT_PARTITIONS} partitions (it has ${inputPartitions}) and ${config.partialsTopic} with exactly 1 (it has ${partialsPartitions})`,
      );
    }

    const read = (topic: string, partition: number, from: string, until: string, onMessage: (m: KafkaMessage) => void) =>
      replayRange({ kafka, admin: this.admin, logger, topic, partition, from, until, groupIdPrefix: `${config.groupId}-restore`, timeoutMs: config.stateRestoreTimeoutMs, onMessage });

    const common = {
      kafka,
      admin: this.admin,
      logger,
      deadLetterTopic: topics.deadLetter,
      transactionalIdPrefix: config.groupId,
      transactionTimeoutMs: config.transactionTimeoutMs,
      sessionTimeoutMs: config.sessionTimeoutMs,
      maxBytesPerPartition: config.maxBytesPerPartition,
      outageTimeoutMs: pipeline.outageTimeoutMs,
      compression: compressionType(pipeline.compression),
      onFatal,
      onCommitted: (batch: CommittedBatch) => {
        for (const n of batch.deadLetters.values()) this.stats.deadLettered += n;
      },
      ...(clock !== undefined && { clock }),
    };
    const tickIntervalMs = Math.min(1_000, Math.max(50, Math.floor(config.idleMs / 4)));
    const windowing = new ExactlyOnceStage({
      ...common,
      name: 'windowing',
      ...(metrics !== undefined && { metrics: new StageMetrics(metrics, 'windowing') }),
      groupId: config.groupId,
      // Each fetch costs a transaction: wait a little for larger batches.
      fetchMaxWaitMs: 250,
      fetchMinBytes: 1024 * 1024,
      inputTopic: topics.processedLogins,
      inputPartitions,
      outputTopics: [config.partialsTopic, topics.loginInsightsLate],
      tickIntervalMs,
      handler: createWindowingHandler({
        topics: { input: topics.processedLogins, partials: config.partialsTopic, late: topics.loginInsightsLate },
        settings: {
          rules: { sizes: config.sizes, graceMs: config.graceMs },
          idleMs: config.idleMs,
          // Each idle mark lets the merge trust the partition's release a little longer: at every tick.
          idleMarkIntervalMs: tickIntervalMs,
        },
        readInput: (partition, from, until, onMessage) => read(topics.processedLogins, partition, from, until, onMessage),
        stats: this.stats,
        logger: logger.child({ stage: 'windowing' }),
      }),
    });
    const merge = new ExactlyOnceStage({
      ...common,
      name: 'merge',
      ...(metrics !== undefined && { metrics: new StageMetrics(metrics, 'merge') }),
      groupId: config.mergeGroupId,
      fetchMaxWaitMs: 100,
      fetchMinBytes: 1,
      inputTopic: config.partialsTopic,
      inputPartitions: 1,
      outputTopics: [topics.loginInsights, topics.loginInsightsLate],
      handler: createMergeHandler({
        topics: { partials: config.partialsTopic, results: topics.loginInsights, late: topics.loginInsightsLate },
        sizes: config.sizes,
        rules: { graceMs: config.graceMs, idleMs: config.idleMs, sources: inputPartitions },
        readPartials: (from, until, onMessage) => read(config.partialsTopic, 0, from, until, onMessage),
        stats: this.stats,
        logger: logger.child({ stage: 'merge' }),
        ...(clock !== undefined && { clock }),
      }),
    });
    this.stages = { windowing, merge };
    this.stopStats = logPeriodically(logger, config.statsIntervalMs, 'stats', () => this.stats.snapshot());
    await Promise.all([windowing.start(), merge.start()]);
  }

  /** Ready while both stages are (see ExactlyOnceStage.readiness) and hold input partitions. */
  readiness(): Readiness {
    const { stages } = this;
    if (stages === undefined) return notReady('not started');
    return servicesReadiness([stages.windowing.readiness(), stages.merge.readiness()]);
  }

  /** Finishes the batches in hand and their transactions, then disconnects everything. */
  async stop(): Promise<void> {
    const stages = this.stages;
    this.stages = undefined;
    if (stages !== undefined) await Promise.all([stages.windowing.stop(), stages.merge.stop()]);
    this.stopStats?.();
    this.stopStats = undefined;
    await this.admin.disconnect();
  }
}
