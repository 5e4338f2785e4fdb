import { randomUUID } from 'node:crypto';
import type { GroupNames, PipelineConfig } from '@login-stream/config';
import { ensureTopics, pipelineTopicSpecs, reachKafka } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import { startReconciliationLoop } from '@login-stream/reconcile';
import type { ReconciliationLoop } from '@login-stream/reconcile';
import type { Admin, Kafka } from 'kafkajs';
import type { DashboardConfig } from './dashboard-config';
import { startDashboardServer } from './http/dashboard-server';
import type { DashboardServer } from './http/dashboard-server';
import { SseHub } from './http/sse-hub';
import { loadAssets } from './http/static-assets';
import { startTopicFeed } from './kafka/topic-feed';
import type { TopicFeed } from './kafka/topic-feed';
import { DashboardState } from './state/dashboard-state';

export interface DashboardOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly pipeline: Pick<PipelineConfig, 'kafka' | 'topics' | 'topicPartitions' | 'topicReplicationFactor'>;
  readonly groups: GroupNames;
  readonly config: DashboardConfig;
}

/** The live dashboard: the topics read into a state, pushed to every page over SSE. */
export class Dashboard {
  private readonly admin: Admin;
  private readonly hub = new SseHub();
  private server: DashboardServer | undefined;
  private feed: TopicFeed | undefined;
  private checks: ReconciliationLoop | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly options: DashboardOptions) {
    this.admin = options.kafka.admin();
  }

  /** The port it serves on (DASHBOARD_PORT, or the one picked for 0 in tests). */
  get port(): number | undefined {
    return this.server?.port;
  }

  async start(): Promise<void> {
    const { kafka, logger, pipeline, groups, config } = this.options;
    const { topics } = pipeline;
    const state = new DashboardState({ input: topics.userLogin, processed: topics.processedLogins, deadLetter: topics.deadLetter, summary: topics.userSummary, insights: topics.loginInsights, late: topics.loginInsightsLate });
    const assets = loadAssets();
    await reachKafka(this.admin.connect(), { brokers: pipeline.kafka.brokers });
    // Created as the services create them, so the page works before they first run.
    await ensureTopics(this.admin, pipelineTopicSpecs(pipeline), { logger });
    this.feed = await startTopicFeed({
      kafka,
      admin: this.admin,
      topics,
      groupId: `login-dashboard-${randomUUID()}`,
      historyMs: config.historyMs,
      state,
      onWindow: (view) => this.hub.broadcast('window', view),
      logger,
    });
    this.checks = startReconciliationLoop({ kafka, admin: this.admin, topics, groups, intervalMs: config.checkIntervalMs, logger, onCheck: (check) => state.setReconciliation(check) });
    this.ticker = setInterval(() => this.hub.broadcast('tick', state.tick(Date.now())), config.tickMs);
    this.server = await startDashboardServer({ host: config.host, port: config.port, assets, hub: this.hub, snapshot: () => state.snapshot(Date.now()), logger });
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.checks?.stop();
    await this.server?.close();
    await this.feed?.stop();
    await this.admin.disconnect();
  }
}
