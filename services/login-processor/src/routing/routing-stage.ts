import type { StageHandler } from '@login-stream/exactly-once';
import type { LoginRules } from '@login-stream/schema';
import { createLoginRouter } from './route-login';

export interface RoutingTopics {
  readonly input: string;
  readonly processed: string;
}

/**
 * Stage 1, stateless: every raw login becomes a processed record, or its rejections, which the
 * stage turns into the record's dead letter.
 */
export function createRoutingHandler(topics: RoutingTopics, rules: LoginRules, clock: () => number = Date.now): StageHandler<undefined> {
  const route = createLoginRouter(rules, topics.processed, clock);
  return {
    restore: async (partitions) => partitions.map(() => undefined),
    batch(_state, { partition, now }) {
      const context = { topic: topics.input, partition, now };
      let lastEventTimeMs: number | undefined;
      return {
        record(message) {
          const routed = route(message, context);
          if (routed.kind === 'rejected') return { rejections: routed.rejections };
          lastEventTimeMs = routed.eventTimeMs;
          return { outputs: [routed.record] };
        },
        committed: () => undefined,
        lastEventTimeMs: () => lastEventTimeMs,
      };
    },
  };
}
