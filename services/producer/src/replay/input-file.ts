import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LoginStreamError, isLoginStreamError } from '@login-stream/errors';
import { withParser } from 'stream-json/streamers/StreamArray';
import { isBlank, splitLines } from './json-lines';

export type InputFormat = 'json-lines' | 'json-array';

export interface InputShape {
  readonly gzip: boolean;
  readonly format: InputFormat;
}

/** One input record: parsed, or bytes that are not JSON (sent as they are, counted). */
export type InputItem = { readonly record: unknown; readonly bytes?: Buffer } | { readonly malformed: Buffer };

/** Past this a "line" is not a login; it bounds memory when a file is not JSON Lines at all. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf /* UTF-8 BOM */]);

const noop = () => undefined;

function openBytes(path: string, gzip: boolean): Readable {
  const file = createReadStream(path);
  // pipeline destroys every stream on error or early return, and surfaces the error downstream.
  return gzip ? pipeline(file, createGunzip(), noop) : file;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function firstSignificantByte(bytes: Readable): Promise<number | undefined> {
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (!JSON_WHITESPACE.has(byte)) return byte;
  }
  return undefined;
}

function unreadable(path: string, err: unknown): LoginStreamError {
  if (isLoginStreamError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new LoginStreamError('INPUT_UNREADABLE', `cannot read ${path}: ${reason}`, { cause: err, details: { path } });
}

/** gzip by its magic bytes; a JSON array when the first non-blank character is `[`, else JSON Lines. */
export async function sniffInput(path: string): Promise<InputShape> {
  try {
    const gzip = await startsWithGzipMagic(path);
    const first = await firstSignificantByte(openBytes(path, gzip));
    return { gzip, format: first === 0x5b /* [ */ ? 'json-array' : 'json-lines' };
  } catch (err) {
    throw unreadable(path, err);
  }
}

async function* jsonLines(bytes: Readable): AsyncGenerator<InputItem> {
  for await (const line of splitLines(bytes, MAX_LINE_BYTES)) {
    let record: unknown;
    try {
      record = JSON.parse(line.toString('utf8'));
    } catch {
      if (!isBlank(line)) yield { malformed: line };
      continue;
    }
    yield { record, bytes: line };
  }
}

async function* jsonArray(bytes: Readable): AsyncGenerator<InputItem> {
  // One element is assembled at a time; a syntax error ends the file (there is no next line).
  for await (const { value } of pipeline(bytes, withParser(), noop) as AsyncIterable<{ value: unknown }>) {
    yield { record: value };
  }
}

/**
 * Streams the records of a JSON Lines or JSON array file, plain or gzip (as sniffed), in
 * constant memory. Stopping the iteration early closes the file.
 */
export async function* readInput(path: string, shape: InputShape): AsyncGenerator<InputItem> {
  const bytes = openBytes(path, shape.gzip);
  try {
    yield* shape.format === 'json-array' ? jsonArray(bytes) : jsonLines(bytes);
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    bytes.destroy();
  }
}
