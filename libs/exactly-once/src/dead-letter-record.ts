import { LoginStreamError } from '@login-stream/errors';
import { encodeDeadLetterHeaders } from '@login-stream/schema';
import type { DeadLetterInfo, Rejection } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';
import { singleRecordBatchBytes } from '@login-stream/kafka';

/** Where a dead letter's record came from and when it failed. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  /** ISO-8601, one per batch. */
  readonly failedAt: string;
}

// Cutting a field shortens its varint length prefix and the record's; this much slack keeps the
// cut record under the limit without a second pass.
const PREFIX_SLACK_BYTES = 8;

const bytesOf = (data: Buffer | null) => data?.length ?? 0;

/**
 * The dead letter of one input record: its key and value bytes as they came, reasons and source
 * in `dlq.*` headers. When they do not fit the DLQ topic's max.message.bytes beside the headers,
 * the record keeps the first bytes of the value (then of the key) that fit, and `dlq.truncated`
 * gives their original sizes: the source offset leads to the rest.
 */
export function deadLetterRecord(
  input: Pick<KafkaMessage, 'key' | 'value' | 'offset'>,
  rejections: readonly Rejection[],
  source: DeadLetterSource,
  maxBatchBytes: number,
): Message {
  const info: DeadLetterInfo = {
    reason: rejections[0].code,
    errors: [...rejections],
    sourceTopic: source.topic,
    sourcePartition: source.partition,
    sourceOffset: input.offset,
    failedAt: source.failedAt,
  };
  const whole = { key: input.key, value: input.value, headers: encodeDeadLetterHeaders(info) };
  if (singleRecordBatchBytes(whole) <= maxBatchBytes) return whole;

  const headers = encodeDeadLetterHeaders({ ...info, truncated: { keyBytes: bytesOf(input.key), valueBytes: bytesOf(input.value) } });
  const empty = Buffer.alloc(0);
  const room = maxBatchBytes - singleRecordBatchBytes({ key: input.key === null ? null : empty, value: empty, headers }) - PREFIX_SLACK_BYTES;
  const valueRoom = room - bytesOf(input.key);
  if (room < 0) {
    throw new LoginStreamError('CONFIG_INVALID', `max.message.bytes ${maxBatchBytes} of the DLQ cannot hold even a dead letter's headers`, {
      details: { maxBatchBytes },
    });
  }
  return valueRoom >= 0
    ? { key: input.key, value: input.value?.subarray(0, valueRoom) ?? null, headers }
    : { key: input.key?.subarray(0, room) ?? null, value: input.value === null ? null : empty, headers };
}
