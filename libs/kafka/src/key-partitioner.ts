import type { ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (as in the Java client's Utils.murmur2), in 32-bit integer arithmetic.
 * kafkajs ships the same hash built on 64-bit Long objects, which costs ~100x more per key.
 */
export function murmur2(data: Uint8Array, length = data.length): number {
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2] << 16;
  if (rest >= 2) h ^= data[whole + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  return h ^ (h >>> 15);
}

// String keys are hashed from their UTF-8 bytes written here, rather than from a new Buffer per
// message; a key too long to surely fit gets a Buffer of its own.
const scratch = Buffer.allocUnsafe(1024);
const MAX_UTF8_BYTES_PER_UNIT = 3;

function hashKey(key: Buffer | string): number {
  if (typeof key !== 'string') return murmur2(key);
  if (key.length * MAX_UTF8_BYTES_PER_UNIT > scratch.length) return murmur2(Buffer.from(key));
  return murmur2(scratch, scratch.write(key));
}

/**
 * The Java client's (and kafkajs') default partitioning, made cheap: a keyed message goes to
 * murmur2(key) mod partitions, so the same user lands on the same partition whoever produces
 * it; a message without a key goes round-robin over partitions that have a leader.
 */
export const keyPartitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }) => {
    if (message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) {
      return (hashKey(message.key) & 0x7fffffff) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const pool = available.length > 0 ? available : partitionMetadata;
    return pool[next++ % pool.length].partitionId;
  };
};
