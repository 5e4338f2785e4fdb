import type { Admin } from 'kafkajs';

/**
 * Whether the group's committed offsets reached the end of every partition of the topic. On a
 * transactionally written topic the last offset is a commit marker that a consumer may not
 * have fetched yet; `transactional` lets the committed offset stop right before it.
 */
export async function groupCaughtUp(admin: Admin, groupId: string, topic: string, options: { transactional?: boolean } = {}): Promise<boolean> {
  const slack = options.transactional === true ? 1n : 0n;
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.every((e) => {
    const offset = committed?.partitions.find((c) => c.partition === e.partition)?.offset ?? '-1';
    return BigInt(e.high) === 0n || BigInt(offset) >= BigInt(e.high) - slack;
  });
}

/** The group's committed offset per partition of the topic, 0 before its first commit. */
export async function committedByPartition(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((committed?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
}

/** The group's committed offsets on the topic, summed over its partitions. */
export async function committedInput(admin: Admin, groupId: string, topic: string): Promise<number> {
  return sumOf(await committedByPartition(admin, groupId, topic));
}

/** Offsets of several partitions added up. */
export function sumOf(offsets: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const offset of offsets.values()) sum += offset;
  return sum;
}
