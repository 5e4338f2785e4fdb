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

/** The group's committed offsets on the topic, summed over its partitions. */
export async function committedInput(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}
