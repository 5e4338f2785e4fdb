import type { TopicNames } from '@login-stream/config';
import type { FlowSnapshot, FlowTopic } from './flow-stats';

const ROWS: ReadonlyArray<readonly [FlowTopic, keyof TopicNames]> = [
  ['input', 'userLogin'],
  ['processed', 'processedLogins'],
  ['deadLetter', 'deadLetter'],
  ['summary', 'userSummary'],
];

const num = (n: number) => n.toLocaleString('en-US');

/** The live view as plain text lines: one row per topic, then rejections by reason. */
export function renderFlow(snapshot: FlowSnapshot, topics: TopicNames): string[] {
  const width = Math.max(...ROWS.map(([, key]) => topics[key].length));
  const lines = [
    `login-stream demo — ${Math.round(snapshot.elapsedMs / 1000)} s (read_committed view; Ctrl-C stops everything)`,
    '',
    `  ${'topic'.padEnd(width)}  ${'messages'.padStart(12)}  ${'per second'.padStart(10)}`,
    ...ROWS.map(
      ([flow, key]) =>
        `  ${topics[key].padEnd(width)}  ${num(snapshot.counts[flow]).padStart(12)}  ${num(snapshot.rates[flow]).padStart(10)}`,
    ),
    '',
    '  rejections by reason:',
  ];
  if (snapshot.rejections.length === 0) lines.push('    (none yet)');
  for (const [reason, count] of snapshot.rejections) lines.push(`    ${reason.padEnd(26)} ${num(count).padStart(10)}`);
  return lines;
}
