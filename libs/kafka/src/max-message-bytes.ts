import { LoginStreamError } from '@login-stream/errors';
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';

const MAX_MESSAGE_BYTES = 'max.message.bytes';

/**
 * Each topic's max.message.bytes (its own or the broker's default): the most one record batch
 * may weigh, the bound a writer must keep every record under.
 */
export async function readMaxMessageBytes(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
  const names = [...new Set(topics)];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [MAX_MESSAGE_BYTES] })),
  });
  const limits = new Map<string, number>();
  for (const resource of resources) {
    const value = Number(resource.configEntries.find((e) => e.configName === MAX_MESSAGE_BYTES)?.configValue);
    if (Number.isSafeInteger(value) && value > 0) limits.set(resource.resourceName, value);
  }
  const missing = names.filter((name) => !limits.has(name));
  if (missing.length > 0) {
    throw new LoginStreamError('TOPIC_SETUP_FAILED', `the broker gave no ${MAX_MESSAGE_BYTES} for ${missing.join(', ')}`, { details: { topics: missing } });
  }
  return limits;
}
