import { createKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import type { Admin } from 'kafkajs';
import type { ProduceContext } from '../run/produce';

/** What produce() needs, against the test broker, for a topic created on first use. */
export function produceContext(brokers: readonly string[], topic: string, partitions = 3): ProduceContext {
  const logger = createLogger({ service: 'producer-test', level: 'silent' });
  return {
    kafka: createKafka({ brokers, clientId: 'producer-test', ssl: false, connectionTimeoutMs: 3_000, requestTimeoutMs: 30_000 }, logger),
    logger,
    brokers,
    topic: { name: topic, partitions, replicationFactor: -1 },
    signal: new AbortController().signal,
    connectTimeoutMs: 15_000,
    outageTimeoutMs: 60_000,
  };
}

/** How many messages the topic holds: the sum of its partitions' end offsets. */
export async function messageCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}
