import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { PartitionMetadata } from 'kafkajs';
import { keyPartitioner } from './key-partitioner';

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

describe('key partitioner', () => {
  it('when a message has a key, then it picks the same partition as kafkajs and the Java client', () => {
    const ours = keyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const keys = [
      ...Array.from({ length: 300 }, () => Buffer.from(randomUUID())),
      ...Array.from({ length: 300 }, (_, i) => randomBytes(i % 13)),
      Buffer.from('ünïcödé-user'),
    ];
    for (const partitions of [1, 3, 6, 12, 100]) {
      const partitionMetadata = metadata(partitions);
      for (const key of keys) {
        const args = { topic: 't', partitionMetadata, message: { key, value: null } };
        expect(ours(args)).toBe(theirs(args));
      }
    }
  });

  it('when the key is a string, then it hashes its UTF-8 bytes, however long and whatever its characters', () => {
    const partition = keyPartitioner();
    const partitionMetadata = metadata(997);
    const keys = ['user-7', '', 'Zoë 😀', 'é'.repeat(400), 'x'.repeat(341), 'x'.repeat(342), '😀'.repeat(300), 'a\u0000b'];
    const byString = keys.map((key) => partition({ topic: 't', partitionMetadata, message: { key, value: null } }));
    const byBytes = keys.map((key) => partition({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: null } }));
    expect(byString).toEqual(byBytes);
    expect(new Set(byBytes).size).toBeGreaterThan(4);
  });

  it('when a message has no key, then messages go round-robin over partitions with a leader', () => {
    const partition = keyPartitioner();
    const partitionMetadata = metadata(4, [1]);
    const picked = Array.from({ length: 6 }, () => partition({ topic: 't', partitionMetadata, message: { key: null, value: null } }));
    expect(picked).toEqual([0, 2, 3, 0, 2, 3]);
  });

  it('when a message names its partition, then that partition is used', () => {
    expect(keyPartitioner()({ topic: 't', partitionMetadata: metadata(6), message: { key: 'x', value: null, partition: 5 } })).toBe(5);
  });
});
