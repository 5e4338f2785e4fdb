import type { GroupNames, TopicNames } from '@login-stream/config';
import { LoginStreamError } from '@login-stream/errors';
import { readToEnd } from '@login-stream/kafka';
import type { Logger } from '@login-stream/logger';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { InsightsCheck } from './insights-check';
import type { InsightsReport } from './insights-check';
import { LineageCheck } from './lineage-check';
import type { InputPartition, ProcessorReport } from './lineage-check';

export interface ReconcileOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly topics: TopicNames;
  readonly groups: GroupNames;
  /** Bounds the reading of each topic. */
  readonly timeoutMs?: number;
  /** Told after every batch read: for a progress line on large topics. */
  readonly onProgress?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  readonly topic: string;
  /** Records read so far, and at most how many there are (transaction markers count in the offsets). */
  readonly read: number;
  readonly total: number;
}

export interface Reconciliation {
  /** Nothing missing or duplicated, and insights not in mismatch. */
  readonly ok: boolean;
  readonly processor: ProcessorReport;
  readonly insights: InsightsReport;
  readonly seconds: number;
}

/** Committed offsets of a group on a topic, per partition; -1 where it has none. */
async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

/** A partition's end offsets as fetchTopicOffsets gives them. */
type TopicEnds = ReadonlyArray<{ readonly partition: number; readonly low: string; readonly high: string }>;

/** Whether a group's committed offsets reach the given ends; a transactional topic ends with a commit marker the group cannot commit past. */
function reaches(committed: ReadonlyMap<number, number>, ends: TopicEnds): boolean {
  return ends.every((e) => Number(e.high) === Number(e.low) || (committed.get(e.partition) ?? -1) >= Number(e.high) - 1);
}

/** What the check needs of insights' progress at one moment. */
interface InsightsPosition {
  /** Changes when insights consumed input or appended results or late records. */
  readonly key: string;
  readonly windowingAtEnd: boolean;
  readonly mergeCommitted: ReadonlyMap<number, number>;
  readonly partialsEnds: TopicEnds;
}

async function insightsPosition(admin: Admin, topics: TopicNames, groups: GroupNames, existing: ReadonlySet<string>): Promise<InsightsPosition | undefined> {
  if (!existing.has(topics.processedLogins) || !existing.has(groups.partialsTopic)) return undefined;
  const ends = (topic: string) => (existing.has(topic) ? admin.fetchTopicOffsets(topic) : Promise.resolve([]));
  const [windowing, processedEnds, mergeCommitted, partialsEnds, resultEnds, lateEnds] = await Promise.all([
    committedOffsets(admin, groups.windowing, topics.processedLogins),
    admin.fetchTopicOffsets(topics.processedLogins),
    committedOffsets(admin, groups.merge, groups.partialsTopic),
    admin.fetchTopicOffsets(groups.partialsTopic),
    ends(topics.loginInsights),
    ends(topics.loginInsightsLate),
  ]);
  const sorted = (pairs: Iterable<readonly [number, number | string]>) => JSON.stringify([...pairs].sort(([a], [b]) => a - b));
  const key = [sorted(windowing), sorted(resultEnds.map((e) => [e.partition, e.high])), sorted(lateEnds.map((e) => [e.partition, e.high]))].join('|');
  return { key, windowingAtEnd: reaches(windowing, processedEnds), mergeCommitted, partialsEnds };
}

/**
 * Whether insights had consumed everything the check counted: the windowing group at the end
 * of processed-logins at both moments and nothing appended to the results and late topics
 * meanwhile, and the merge group through every partial there was at the first moment. The
 * merge is not asked to stand still: an idle insights marks its partitions idle on the
 * partials topic every second, forever, and a mark that releases a window shows on the
 * results topic.
 */
function insightsCaughtUp(before: InsightsPosition | undefined, after: InsightsPosition | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return before.windowingAtEnd && after.windowingAtEnd && before.key === after.key && reaches(after.mergeCommitted, before.partialsEnds);
}

/**
 * Checks a pipeline's topics against each other, read_committed:
 *   processor: each user-login offset below the processor's committed offset appears exactly once
 *              in processed-logins or user-login-dlq (the lineage headers);
 *   insights:  per window size, Σ logins of the results + late logins = processed logins over the
 *              range the results cover.
 * The committed offsets are read first, so every output they promise is visible by the time
 * the topics are read.
 */
export async function reconcile(options: ReconcileOptions): Promise<Reconciliation> {
  const started = performance.now();
  const { kafka, admin, logger, topics, groups } = options;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const existing = new Set(await admin.listTopics());
  if (!existing.has(topics.userLogin)) throw new LoginStreamError('TOPIC_SETUP_FAILED', `${topics.userLogin} does not exist: there is nothing to reconcile`, { details: { topic: topics.userLogin } });
  const [ends, committed, insightsBefore] = await Promise.all([
    admin.fetchTopicOffsets(topics.userLogin),
    committedOffsets(admin, groups.routing, topics.userLogin),
    insightsPosition(admin, topics, groups, existing),
  ]);
  const inputs = ends
    .map((e): InputPartition => ({ partition: e.partition, low: Number(e.low), high: Number(e.high), committed: committedOrLow(committed.get(e.partition), Number(e.low)) }))
    .sort((a, b) => a.partition - b.partition);
  const lineage = new LineageCheck(topics.userLogin, inputs);
  const insights = new InsightsCheck();

  // A topic not created yet (insights never ran) holds nothing.
  const read = async (topic: string, onMessage: (m: KafkaMessage) => void): Promise<void> => {
    if (!existing.has(topic)) return;
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    let count = 0;
    await readToEnd(kafka, admin, {
      topic,
      groupIdPrefix: 'login-stream-check',
      timeoutMs,
      logger,
      onBatch: (_partition, messages) => {
        for (const m of messages) onMessage(m);
        count += messages.length;
        options.onProgress?.({ topic, read: count, total });
      },
    });
  };
  // Results fix the ranges the late and processed records are counted over: they come first.
  await Promise.all([read(topics.loginInsights, (m) => insights.addResult(m.value)), read(topics.deadLetter, (m) => lineage.addDeadLetter(m.headers))]);
  await Promise.all([
    read(topics.loginInsightsLate, (m) => insights.addLate(m.headers)),
    read(topics.processedLogins, (m) => {
      lineage.addProcessed(m.headers);
      insights.addProcessed(m.headers);
    }),
  ]);
  const insightsAfter = await insightsPosition(admin, topics, groups, existing);
  const processor = lineage.report();
  const insightsReport = insights.report(insightsCaughtUp(insightsBefore, insightsAfter));
  return { ok: processor.ok && insightsReport.status !== 'mismatch', processor, insights: insightsReport, seconds: (performance.now() - started) / 1000 };
}

/** A group without a committed offset on a partition starts at its earliest offset. */
function committedOrLow(committed: number | undefined, low: number): number {
  return committed === undefined || committed < 0 ? low : committed;
}
