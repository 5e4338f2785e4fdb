import { z } from 'zod';
import { headerText } from './header-text';
import type { HeaderValue } from './header-text';
import { REJECTION_CODES } from './rejection-codes';

/**
 * A dead letter keeps the rejected record's key and value bytes untouched (non-JSON and
 * non-UTF-8 included) and explains itself in headers, the Kafka Connect DLQ convention:
 * any consumer can re-drive the value as it came.
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq.reason',
  errors: 'dlq.errors',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  failedAt: 'dlq.failed_at',
  /**
   * Present only when the original key and value did not fit in the DLQ topic beside these
   * headers: `{"key_bytes":K,"value_bytes":V}`, their sizes as they came. The record then
   * carries the first bytes of each that fit (the value cut first); the source topic,
   * partition and offset lead to the whole record.
   */
  truncated: 'dlq.truncated',
} as const;

const rejectionSchema = z.object({
  code: z.enum(REJECTION_CODES),
  field: z.string().optional(),
  message: z.string(),
});

export const deadLetterInfoSchema = z.object({
  /** The first failed rule's code, for grouping. */
  reason: z.enum(REJECTION_CODES),
  /** Every failed rule. */
  errors: z.array(rejectionSchema).min(1),
  sourceTopic: z.string().min(1),
  sourcePartition: z.number().int().nonnegative(),
  sourceOffset: z.string().regex(/^\d+$/),
  failedAt: z.iso.datetime(),
  /** Sizes of the original key and value when the dead letter carries only their first bytes. */
  truncated: z.object({ keyBytes: z.number().int().nonnegative(), valueBytes: z.number().int().nonnegative() }).optional(),
});

export type DeadLetterInfo = z.infer<typeof deadLetterInfoSchema>;

export function encodeDeadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reason]: info.reason,
    [DEAD_LETTER_HEADERS.errors]: JSON.stringify(info.errors),
    [DEAD_LETTER_HEADERS.sourceTopic]: info.sourceTopic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(info.sourcePartition),
    [DEAD_LETTER_HEADERS.sourceOffset]: info.sourceOffset,
    [DEAD_LETTER_HEADERS.failedAt]: info.failedAt,
  };
  if (info.truncated !== undefined) {
    headers[DEAD_LETTER_HEADERS.truncated] = JSON.stringify({ key_bytes: info.truncated.keyBytes, value_bytes: info.truncated.valueBytes });
  }
  return headers;
}

/** Reads the headers of a DLQ record back into a checked `DeadLetterInfo`. */
export function decodeDeadLetterHeaders(headers: Readonly<Record<string, HeaderValue>> | undefined): DeadLetterInfo {
  const h = headers ?? {};
  const errors = headerText(h, DEAD_LETTER_HEADERS.errors);
  const partition = headerText(h, DEAD_LETTER_HEADERS.sourcePartition);
  const truncatedText = headerText(h, DEAD_LETTER_HEADERS.truncated);
  const truncated = truncatedText === undefined ? undefined : (JSON.parse(truncatedText) as { key_bytes?: unknown; value_bytes?: unknown });
  return deadLetterInfoSchema.parse({
    reason: headerText(h, DEAD_LETTER_HEADERS.reason),
    errors: errors === undefined ? undefined : (JSON.parse(errors) as unknown),
    sourceTopic: headerText(h, DEAD_LETTER_HEADERS.sourceTopic),
    sourcePartition: partition === undefined ? undefined : Number(partition),
    sourceOffset: headerText(h, DEAD_LETTER_HEADERS.sourceOffset),
    failedAt: headerText(h, DEAD_LETTER_HEADERS.failedAt),
    ...(truncated !== undefined && { truncated: { keyBytes: truncated.key_bytes, valueBytes: truncated.value_bytes } }),
  });
}
