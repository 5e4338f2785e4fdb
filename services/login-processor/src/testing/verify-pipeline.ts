import type { PipelineConfig } from '@login-stream/config';
import { waitUntil } from '@login-stream/kafka-testing';
import type { CollectedMessage } from '@login-stream/kafka-testing';
import type { Admin, Kafka } from 'kafkajs';
import { groupCaughtUp } from './group-progress';
import { readCommitted } from './read-topic';

export interface PipelineRun {
  readonly input: CollectedMessage[];
  readonly processed: CollectedMessage[];
  readonly deadLetters: CollectedMessage[];
  readonly summaries: CollectedMessage[];
}

/**
 * Waits until both stages of a processor run consumed everything, then reads every topic
 * read_committed: what any downstream consumer would see.
 */
export async function settledRun(
  kafka: Kafka,
  admin: Admin,
  topics: PipelineConfig['topics'],
  groupId: string,
  timeoutMs = 90_000,
): Promise<PipelineRun> {
  await waitUntil(() => groupCaughtUp(admin, groupId, topics.userLogin), { timeoutMs, description: `${groupId} to commit every input offset` });
  await waitUntil(() => groupCaughtUp(admin, `${groupId}-summary`, topics.processedLogins, { transactional: true }), {
    timeoutMs,
    description: `${groupId}-summary to consume every processed login`,
  });
  const [input, processed, deadLetters, summaries] = await Promise.all(
    [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary].map((t) => readCommitted(kafka, admin, t)),
  );
  return { input: input ?? [], processed: processed ?? [], deadLetters: deadLetters ?? [], summaries: summaries ?? [] };
}
