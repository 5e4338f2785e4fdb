import { LoginStreamError } from '@login-stream/errors';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines without decoding it, so bytes that are not UTF-8 survive
 * untouched. Memory stays bounded by `maxLineBytes`: a longer line fails the input.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  const complete = (piece: Buffer): Buffer => {
    lineNumber++;
    const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
    pending = [];
    pendingBytes = 0;
    return line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      yield complete(chunk.subarray(start, end));
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        throw new LoginStreamError('INPUT_UNREADABLE', `line ${lineNumber + 1} is longer than ${maxLineBytes} bytes; is this JSON Lines?`, {
          details: { line: lineNumber + 1, maxLineBytes },
        });
      }
    }
  }
  if (pending.length > 0) yield complete(Buffer.alloc(0));
}

/** True for lines with nothing but spaces, tabs or a carriage return, which JSON Lines readers skip. */
export function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  return true;
}
