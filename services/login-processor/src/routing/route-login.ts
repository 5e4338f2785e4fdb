import type { OutputRecord } from '@login-stream/exactly-once';
import { createLoginValidator, EVENT_TIME_HEADER, formatLineage, LINEAGE_HEADER } from '@login-stream/schema';
import type { LoginRules, Rejection } from '@login-stream/schema';
import { decodeLoginBytes } from './decode';
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

export type Routed =
  | { readonly kind: 'processed'; readonly userId: string; readonly eventTimeMs: number; readonly record: OutputRecord & { readonly headers: Record<string, string> } }
  | { readonly kind: 'rejected'; readonly rejections: readonly Rejection[] };

/**
 * Builds the decision for every raw login: valid → a normalized, enriched record for
 * `processedTopic` keyed by user_id; anything else → every failed rule, for its dead letter
 * (which the stage writes with the original bytes). Pure: no I/O, the clock is injected.
 */
export function createLoginRouter(rules: LoginRules, processedTopic: string, clock: () => number = Date.now): (input: InputRecord, batch: BatchContext) => Routed {
  const validate = createLoginValidator(rules, clock);
  const processedJson = createProcessedJson(rules.supportedDeviceTypes);

  return (input, batch) => {
    const decoded = decodeLoginBytes(input.value);
    if (!decoded.ok) return { kind: 'rejected', rejections: [decoded.rejection] };
    const result = validate(decoded.value);
    if (!result.ok) return { kind: 'rejected', rejections: result.rejections };

    const { login } = result;
    const value = processedJson(login, batch.now, decoded.plainText);
    return {
      kind: 'processed',
      userId: login.user_id,
      eventTimeMs: login.event_time_ms,
      record: {
        topic: processedTopic,
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
