import type { TopicNames } from '@login-stream/config';
import type { Logger } from '@login-stream/logger';
import { DEAD_LETTER_HEADERS, headerText, LATE_WINDOWS_HEADER, parseLateWindows, readWindowInsights } from '@login-stream/schema';
import type { FlowTopic, WindowView } from '@login-stream/schema';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { DashboardState } from '../state/dashboard-state';

export interface TopicFeedOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topics: TopicNames;
  /** A group of this dashboard instance alone: it reads every partition and commits nothing. */
  readonly groupId: string;
  /** Records appended within this long before the start are read too, so a fresh page is not empty. */
  readonly historyMs: number;
  readonly state: DashboardState;
  /** A window result the page draws arrived. */
  readonly onWindow: (view: WindowView) => void;
  readonly logger: Logger;
  readonly clock?: () => number;
}

export interface TopicFeed {
  stop(): Promise<void>;
}

/**
 * Reads the pipeline's six topics read_committed (what downstream consumers see) from
 * `historyMs` ago on, counting each topic's records and decoding what the page shows: window
 * results, the windows late logins missed, the reasons of dead letters. The topics must exist
 * (main creates them as the services do).
 */
export async function startTopicFeed(options: TopicFeedOptions): Promise<TopicFeed> {
  const { kafka, admin, topics, state, logger } = options;
  const clock = options.clock ?? Date.now;
  const byName = new Map<string, FlowTopic>([
    [topics.userLogin, 'input'],
    [topics.processedLogins, 'processed'],
    [topics.deadLetter, 'deadLetter'],
    [topics.userSummary, 'summary'],
    [topics.loginInsights, 'insights'],
    [topics.loginInsightsLate, 'late'],
  ]);
  const names = [...byName.keys()];
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topics: names, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      const flow = byName.get(batch.topic);
      if (flow === undefined || batch.messages.length === 0) return;
      state.addRecords(flow, batch.messages.length, clock());
      for (const m of batch.messages) {
        if (flow === 'deadLetter') state.addRejection(headerText(m.headers, DEAD_LETTER_HEADERS.reason) ?? 'UNKNOWN');
        else if (flow === 'late') state.addLate(parseLateWindows(headerText(m.headers, LATE_WINDOWS_HEADER) ?? ''));
        else if (flow === 'insights') {
          const result = readWindowInsights(m.value);
          if (result === undefined) {
            logger.warn({ topic: batch.topic, partition: batch.partition, offset: m.offset }, 'a login-insights record that is not a window result; not shown');
            continue;
          }
          const view = state.addWindow(result);
          if (view !== undefined) options.onWindow(view);
        }
      }
    },
  });
  // Where the history starts: the first offset appended at or after that time, per partition.
  const since = clock() - options.historyMs;
  for (const topic of names) {
    for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, since)) {
      consumer.seek({ topic, partition, offset });
    }
  }
  return { stop: () => consumer.disconnect() };
}
