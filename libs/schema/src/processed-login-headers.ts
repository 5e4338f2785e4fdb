/**
 * The header on every `processed-logins` record naming the input record it came from, so each
 * input offset can be traced to exactly one output. One header, `topic:partition:offset`
 * (topic names cannot contain ':'), because kafkajs spends ~5 µs encoding each header.
 */
export const LINEAGE_HEADER = 'login.source';

/**
 * The header on every `processed-logins` record carrying its event time in epoch milliseconds
 * (decimal ASCII), so the summary stage need not parse the JSON value to learn it.
 */
export const EVENT_TIME_HEADER = 'login.event-time-ms';

export interface Lineage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export function formatLineage(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

export function parseLineage(value: string): Lineage | undefined {
  const match = /^([a-zA-Z0-9._-]+):(\d+):(\d+)$/.exec(value);
  if (match === null) return undefined;
  return { topic: match[1], partition: Number(match[2]), offset: match[3] };
}
