import type { Message, TopicMessages } from 'kafkajs';

/**
 * The broker rejects a record batch (all records of one request for one partition) above its
 * `message.max.bytes`, 1 MiB by default, and enrichment makes the output of a batch larger than
 * its input. Keeping each produce request's records below that bound keeps every partition's
 * batch below it, whatever the keys.
 */
export const MAX_CHUNK_BYTES = 960 * 1024;

// Per-record framing: length, attributes, deltas, key/value lengths, header count.
const RECORD_OVERHEAD_BYTES = 24;

// Buffers answer in O(1); a string's UTF-8 length takes a scan of it.
const bytesOf = (data: Buffer | string | null | undefined) => (data == null ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.length);

function sizeOf(message: Message): number {
  let size = RECORD_OVERHEAD_BYTES + bytesOf(message.key) + bytesOf(message.value);
  const headers = message.headers ?? {};
  for (const name in headers) {
    const value = headers[name];
    size += Buffer.byteLength(name);
    if (Array.isArray(value)) for (const v of value) size += bytesOf(v);
    else size += bytesOf(value);
  }
  return size;
}

/** Splits the records into consecutive groups of at most `maxBytes` each (a larger record goes alone). */
export function chunkTopicMessages(topicMessages: readonly TopicMessages[], maxBytes = MAX_CHUNK_BYTES): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let chunk: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let current: TopicMessages | undefined;
    for (const message of messages) {
      const size = sizeOf(message);
      if (bytes + size > maxBytes && bytes > 0) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
        current = undefined;
      }
      if (current === undefined) {
        current = { topic, messages: [] };
        chunk.push(current);
      }
      current.messages.push(message);
      bytes += size;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
