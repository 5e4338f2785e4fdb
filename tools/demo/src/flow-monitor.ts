import type { TopicNames } from '@login-stream/config';
import { DEAD_LETTER_HEADERS, headerText, readWindowInsights } from '@login-stream/schema';
import type { Consumer, Kafka } from 'kafkajs';
import { FlowStats } from './flow-stats';

export interface FlowMonitor {
  readonly stats: FlowStats;
  stop(): Promise<void>;
}

/**
 * Reads every pipeline topic from the beginning with a throwaway group and counts what it
 * sees. read_committed, so the counts are what downstream consumers see: processor output
 * appears when its transaction commits.
 */
export async function startFlowMonitor(kafka: Kafka, topics: TopicNames, groupId: string): Promise<FlowMonitor> {
  const stats = new FlowStats(Date.now());
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary, topics.loginInsights, topics.loginInsightsLate],
    fromBeginning: true,
  });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      const flow = FlowStats.topicOf(batch.topic, topics);
      if (flow === undefined) return;
      stats.record(flow, batch.messages.length);
      if (flow === 'deadLetter') {
        for (const message of batch.messages) {
          stats.recordRejection(headerText(message.headers, DEAD_LETTER_HEADERS.reason) ?? 'UNKNOWN');
        }
      }
      if (flow === 'insights') {
        for (const message of batch.messages) {
          const result = readWindowInsights(message.value);
          if (result !== undefined) stats.recordWindow(result);
        }
      }
    },
  });
  return { stats, stop: () => consumer.disconnect() };
}
