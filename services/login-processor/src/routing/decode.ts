import { isAscii, isUtf8 } from 'node:buffer';
import type { Rejection } from '@login-stream/schema';

export type Decoded =
  | {
      readonly ok: true;
      readonly value: unknown;
      /** ASCII without a backslash: no string parsed from it needs escaping in JSON. */
      readonly plainText: boolean;
    }
  | { readonly ok: false; readonly rejection: Rejection };

const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * The bytes as text, or undefined when they are not UTF-8 (then they reach the DLQ as they are,
 * never decoded with replacement characters). Checking first costs less than TextDecoder's
 * `fatal` mode, whose exception cost ~25 µs per bad record; ASCII, the usual case, decodes
 * fastest as Latin-1, which it is a subset of. A leading BOM is dropped, as TextDecoder does.
 */
function utf8Text(bytes: Buffer): { text: string; ascii: boolean } | undefined {
  if (isAscii(bytes)) return { text: bytes.toString('latin1'), ascii: true };
  if (!isUtf8(bytes)) return undefined;
  const bom = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
  return { text: bytes.toString('utf8', bom ? BOM.length : 0), ascii: false };
}

/** Raw record value → parsed JSON, or the reason it is not JSON text at all. */
export function decodeLoginBytes(bytes: Buffer | null): Decoded {
  if (bytes === null) return { ok: false, rejection: { code: 'NOT_JSON', message: 'record has no value' } };
  const decoded = utf8Text(bytes);
  if (decoded === undefined) return { ok: false, rejection: { code: 'NOT_UTF8', message: `value (${bytes.length} bytes) is not valid UTF-8` } };
  const { text, ascii } = decoded;
  try {
    return { ok: true, value: JSON.parse(text) as unknown, plainText: ascii && !text.includes('\\') };
  } catch (err) {
    return { ok: false, rejection: { code: 'NOT_JSON', message: `value is not JSON: ${(err as Error).message}` } };
  }
}
