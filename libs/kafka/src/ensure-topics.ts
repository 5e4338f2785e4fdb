import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import type { Admin } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** -1 lets the broker apply its default. */
  readonly replicationFactor: number;
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface EnsureTopicsOptions {
  readonly logger: Logger;
  /** How long to wait for creation and leader election together. */
  readonly timeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and returns once every partition of every topic
 * has a leader. Idempotent and safe to race: several services may call it at start.
 * Existing topics are never altered; a partition count that differs from the spec is logged,
 * because adding partitions would silently move keys to other partitions.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], options: EnsureTopicsOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      const created = await admin.createTopics({
        waitForLeaders: true,
        timeout: timeoutMs,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      options.logger.info({ topics: missing.map((s) => s.name), created }, 'topics created');
    }
    // waitForLeaders covers the topics we created; topics created concurrently by another
    // process are covered by this check, which kafkajs retries while leaders are being elected.
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
    for (const spec of specs) {
      const meta = topics.find((t) => t.name === spec.name);
      const leaderless = meta?.partitions.filter((p) => p.leader < 0) ?? [];
      if (meta === undefined || leaderless.length > 0) {
        throw new LoginStreamError('TOPIC_SETUP_FAILED', `topic ${spec.name} has partitions without a leader`, {
          details: { topic: spec.name, leaderless: leaderless.map((p) => p.partitionId) },
        });
      }
      if (meta.partitions.length !== spec.partitions) {
        options.logger.warn(
          { topic: spec.name, expected: spec.partitions, actual: meta.partitions.length },
          'topic exists with a different partition count; leaving it as it is',
        );
      }
    }
  } catch (err) {
    if (err instanceof LoginStreamError) throw err;
    throw new LoginStreamError('TOPIC_SETUP_FAILED', `could not ensure topics ${specs.map((s) => s.name).join(', ')}`, {
      cause: err,
    });
  }
}
