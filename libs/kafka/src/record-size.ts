import type { IHeaders, Message } from 'kafkajs';

/**
 * The fixed part of a record batch (offset, length, leader epoch, magic, CRC, attributes, last
 * offset delta, timestamps, producer id and epoch, base sequence, record count). The broker
 * checks the whole batch, this included, against the topic's max.message.bytes.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

// A record's timestamp delta (a varlong) and offset delta (a varint) depend on its place in the
// batch; their longest encodings keep the size an upper bound wherever it lands.
const DELTAS_BOUND_BYTES = 10 + 5;

type Data = Buffer | string | null | undefined;

/** Bytes of a zigzag varint. */
function varintBytes(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    bytes++;
  }
  return bytes;
}

// Buffers answer in O(1); a string's UTF-8 length takes a scan of it.
function byteLength(data: Buffer | string): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/** A length-prefixed field; null is length -1. */
function fieldBytes(data: Data): number {
  if (data == null) return 1;
  const length = byteLength(data);
  return varintBytes(length) + length;
}

function headerBytes(headers: IHeaders | undefined): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const name in headers) {
    const value = headers[name];
    const nameBytes = fieldBytes(name);
    if (Array.isArray(value)) {
      for (const v of value) bytes += nameBytes + fieldBytes(v);
      count += value.length;
    } else {
      bytes += nameBytes + fieldBytes(value);
      count++;
    }
  }
  return { count, bytes };
}

/** An upper bound of the bytes one record takes in a record batch, uncompressed, its length prefix included. */
export function recordBytes(message: Pick<Message, 'key' | 'value' | 'headers'>): number {
  const headers = headerBytes(message.headers);
  const body = 1 /* attributes */ + DELTAS_BOUND_BYTES + fieldBytes(message.key) + fieldBytes(message.value) + varintBytes(headers.count) + headers.bytes;
  return varintBytes(body) + body;
}

/** What a batch of this one record would weigh against max.message.bytes. */
export function singleRecordBatchBytes(message: Pick<Message, 'key' | 'value' | 'headers'>): number {
  return RECORD_BATCH_OVERHEAD_BYTES + recordBytes(message);
}
