import { createLoginValidator, encodeDeadLetterHeaders } from '@login-stream/schema';
import type { LoginRules, Rejection, RejectionCode } from '@login-stream/schema';
import { decodeLoginBytes } from './decode';
import { EVENT_TIME_HEADER, formatLineage, LINEAGE_HEADER } from './lineage';
import { createProcessedJson } from './processed-json';

/** One record as read from the input topic. */
export interface InputRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
}

/** Where the records of one batch came from and when they are being processed. */
export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /** ISO-8601; one timestamp per batch keeps the hot loop free of Date formatting. */
  readonly now: string;
}

/** A record ready for a producer: key, value and headers, no topic. */
export interface OutputRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: Record<string, string>;
}

export type Routed =
  | { readonly kind: 'processed'; readonly userId: string; readonly eventTimeMs: number; readonly record: OutputRecord }
  | { readonly kind: 'dead-letter'; readonly reason: RejectionCode; readonly record: OutputRecord };

/**
 * Builds the decision for every raw login: valid → a normalized, enriched `processed-logins`
 * record keyed by user_id; anything else → a dead letter holding the original key and value
 * bytes with every failed rule in its headers. Pure: no I/O, the clock is injected.
 */
export function createLoginRouter(rules: LoginRules, clock: () => number = Date.now): (input: InputRecord, batch: BatchContext) => Routed {
  const validate = createLoginValidator(rules, clock);
  const processedJson = createProcessedJson(rules.supportedDeviceTypes);

  const deadLetter = (input: InputRecord, batch: BatchContext, rejections: readonly Rejection[]): Routed => {
    const reason = rejections[0].code;
    const headers = encodeDeadLetterHeaders({
      reason,
      errors: [...rejections],
      sourceTopic: batch.topic,
      sourcePartition: batch.partition,
      sourceOffset: input.offset,
      failedAt: batch.now,
    });
    return { kind: 'dead-letter', reason, record: { key: input.key, value: input.value, headers } };
  };

  return (input, batch) => {
    const decoded = decodeLoginBytes(input.value);
    if (!decoded.ok) return deadLetter(input, batch, [decoded.rejection]);
    const result = validate(decoded.value);
    if (!result.ok) return deadLetter(input, batch, result.rejections);

    const { login } = result;
    const value = processedJson(login, batch.now, decoded.plainText);
    return {
      kind: 'processed',
      userId: login.user_id,
      eventTimeMs: login.event_time_ms,
      record: {
        // Strings, which the (patched) encoder writes straight into the record, and the
        // partitioner hashes without a Buffer of their own.
        key: login.user_id,
        value,
        headers: {
          [LINEAGE_HEADER]: formatLineage(batch.topic, batch.partition, input.offset),
          [EVENT_TIME_HEADER]: String(login.event_time_ms),
        },
      },
    };
  };
}
