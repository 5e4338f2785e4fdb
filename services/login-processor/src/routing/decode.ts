import type { Rejection } from '@login-stream/schema';

export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rejection: Rejection };

// fatal: invalid byte sequences throw instead of turning into U+FFFD, so they reach the DLQ.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw record value → parsed JSON, or the reason it is not JSON text at all. */
export function decodeLoginBytes(bytes: Buffer | null): Decoded {
  if (bytes === null) return { ok: false, rejection: { code: 'NOT_JSON', message: 'record has no value' } };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, rejection: { code: 'NOT_UTF8', message: `value (${bytes.length} bytes) is not valid UTF-8` } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, rejection: { code: 'NOT_JSON', message: `value is not JSON: ${(err as Error).message}` } };
  }
}
