import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A consumed record as kafkajs hands it to eachBatch, for unit tests of stage handlers. */
export function kafkaMessage(offset: number, key: string | null, value: string | Buffer | null, headers: IHeaders = {}): KafkaMessage {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers,
  };
}
