import { setTimeout as delay } from 'node:timers/promises';
import { classifyFailure, LoginStreamError } from '@login-stream/errors';
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

/** A failure worth looking again for (not the leader, unknown topic yet, a timeout), as the pipeline decides it everywhere. */
function isTransient(err: unknown): err is Error {
  return err instanceof Error && classifyFailure(err) === 'transient';
}

/** Why the topics are not ready yet (an error to throw when time is up), or undefined when they are. */
async function topicsNotReady(admin: Admin, specs: readonly TopicSpec[], logger: Logger): Promise<Error | undefined> {
  let topics;
  try {
    ({ topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) }));
  } catch (err) {
    if (isTransient(err)) return err;
    throw err;
  }
  for (const spec of specs) {
    const meta = topics.find((t) => t.name === spec.name);
    const leaderless = meta?.partitions.filter((p) => p.leader < 0) ?? [];
    if (meta === undefined || leaderless.length > 0) {
      return new LoginStreamError('TOPIC_SETUP_FAILED', `topic ${spec.name} has partitions without a leader`, {
        details: { topic: spec.name, leaderless: leaderless.map((p) => p.partitionId) },
      });
    }
  }
  for (const spec of specs) {
    const actual = topics.find((t) => t.name === spec.name)?.partitions.length;
    if (actual !== spec.partitions) logger.warn({ topic: spec.name, expected: spec.partitions, actual }, 'topic exists with a different partition count; leaving it as it is');
  }
  return undefined;
}

/** Creates the topics that do not exist; a transient failure is returned, to try again. */
async function createMissing(admin: Admin, specs: readonly TopicSpec[], timeoutMs: number, logger: Logger): Promise<Error | undefined> {
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return undefined;
    // A topic another process creates meanwhile is no failure (kafkajs answers false).
    const created = await admin.createTopics({
      timeout: timeoutMs,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    logger.info({ topics: missing.map((s) => s.name), created }, 'topics created');
    return undefined;
  } catch (err) {
    if (isTransient(err)) return err;
    throw err;
  }
}

/**
 * Creates the topics that do not exist yet and returns once every partition of every topic
 * has a leader. Idempotent and safe to race: several services may call it at start.
 * Existing topics are never altered; a partition count that differs from the spec is logged,
 * because adding partitions would silently move keys to other partitions.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], options: EnsureTopicsOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    // Topics just created (by us or by another process) may not be in the broker's metadata
    // yet (UNKNOWN_TOPIC_OR_PARTITION) or still elect leaders, and a loaded broker answers a
    // create with a retriable error at times: look again until they are ready or time is up.
    for (let wait = 50; ; wait = Math.min(wait * 2, 1_000)) {
      const problem = (await createMissing(admin, specs, timeoutMs, options.logger)) ?? (await topicsNotReady(admin, specs, options.logger));
      if (problem === undefined) return;
      if (Date.now() + wait > deadline) throw problem;
      await delay(wait);
    }
  } catch (err) {
    if (err instanceof LoginStreamError) throw err;
    throw new LoginStreamError('TOPIC_SETUP_FAILED', `could not ensure topics ${specs.map((s) => s.name).join(', ')}`, {
      cause: err,
    });
  }
}
