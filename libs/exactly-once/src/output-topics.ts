import { LoginStreamError } from '@login-stream/errors';
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { OutputTopics } from './record-batch';

const MAX_MESSAGE_BYTES = 'max.message.bytes';

/**
 * Reads from the broker what bounds the stage's writes: each output topic's max.message.bytes
 * (its own or the broker's default) and the DLQ's partition count. Read at start and whenever
 * partitions are taken over, so a limit changed meanwhile is seen by the next owner.
 */
export async function readOutputTopics(admin: Admin, outputTopics: readonly string[], deadLetterTopic: string): Promise<OutputTopics> {
  const names = [...new Set([...outputTopics, deadLetterTopic])];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [MAX_MESSAGE_BYTES] })),
  });
  const maxBatchBytes = new Map<string, number>();
  for (const resource of resources) {
    const value = Number(resource.configEntries.find((e) => e.configName === MAX_MESSAGE_BYTES)?.configValue);
    if (Number.isSafeInteger(value) && value > 0) maxBatchBytes.set(resource.resourceName, value);
  }
  const missing = names.filter((name) => !maxBatchBytes.has(name));
  if (missing.length > 0) {
    throw new LoginStreamError('TOPIC_SETUP_FAILED', `the broker gave no ${MAX_MESSAGE_BYTES} for ${missing.join(', ')}`, { details: { topics: missing } });
  }
  const { topics } = await admin.fetchTopicMetadata({ topics: [deadLetterTopic] });
  return { maxBatchBytes, deadLetterTopic, deadLetterPartitions: Math.max(1, topics[0]?.partitions.length ?? 0) };
}
