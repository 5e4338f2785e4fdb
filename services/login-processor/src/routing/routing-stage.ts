import type { LoginRules, RejectionCode } from '@login-stream/schema';
import type { Message } from 'kafkajs';
import type { StageHandler } from '../exactly-once/stage';
import type { ProcessorStats } from '../stats';
import { createLoginRouter } from './route-login';

export interface RoutingTopics {
  readonly input: string;
  readonly processed: string;
  readonly deadLetter: string;
  readonly deadLetterPartitions: number;
}

/** Stage 1, stateless: every raw login becomes exactly one processed record or dead letter. */
export function createRoutingHandler(
  topics: RoutingTopics,
  rules: LoginRules,
  stats: ProcessorStats,
  clock: () => number = Date.now,
): StageHandler<undefined> {
  const route = createLoginRouter(rules, clock);
  return {
    restore: async (partitions) => partitions.map(() => undefined),
    process(partition, messages) {
      const batch = { topic: topics.input, partition, now: new Date(clock()).toISOString() };
      const processed: Message[] = [];
      const deadLetters: Message[] = [];
      const reasons = new Map<RejectionCode, number>();
      for (const message of messages) {
        const routed = route(message, batch);
        if (routed.kind === 'processed') {
          processed.push(routed.record);
        } else {
          // Input partition p's dead letters go to DLQ partition p (mod its size), in input order:
          // a transaction then touches one DLQ partition instead of one per unkeyed record.
          deadLetters.push({ ...routed.record, partition: partition % topics.deadLetterPartitions });
          reasons.set(routed.reason, (reasons.get(routed.reason) ?? 0) + 1);
        }
      }
      const topicMessages = [
        { topic: topics.processed, messages: processed },
        { topic: topics.deadLetter, messages: deadLetters },
      ].filter((t) => t.messages.length > 0);
      return {
        topicMessages,
        committed: () => {
          stats.addOutput(topics.processed, processed.length);
          stats.addOutput(topics.deadLetter, deadLetters.length);
          for (const [code, count] of reasons) stats.addRejection(code, count);
        },
      };
    },
  };
}
