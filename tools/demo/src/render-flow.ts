import type { TopicNames } from '@login-stream/config';
import type { WindowInsights } from '@login-stream/schema';
import type { FlowSnapshot, FlowTopic } from './flow-stats';

const ROWS: ReadonlyArray<readonly [FlowTopic, keyof TopicNames]> = [
  ['input', 'userLogin'],
  ['processed', 'processedLogins'],
  ['deadLetter', 'deadLetter'],
  ['summary', 'userSummary'],
  ['insights', 'loginInsights'],
  ['late', 'loginInsightsLate'],
];

const num = (n: number) => n.toLocaleString('en-US');

/** The latest closed 1m window in a few lines: counts, device mix, most represented locale. */
function minuteLines(w: WindowInsights | undefined): string[] {
  if (w === undefined) return ['  latest closed 1m window: (none yet)'];
  const devices = Object.entries(w.device_types).map(([d, n]) => `${d} ${num(n)} (${Math.round((100 * n) / Math.max(1, w.logins))}%)`);
  const most = w.locales.most === null ? '(no locales)' : `${w.locales.most.locales.join(', ')} (${num(w.locales.most.logins)} logins)`;
  return [
    `  latest closed 1m window: ${w.window_start.slice(0, 16).replace('T', ' ')} UTC`,
    `    ${num(w.logins)} logins, ${num(w.unique_users)} unique users`,
    `    devices: ${devices.length === 0 ? '(none)' : devices.join(', ')}`,
    `    most represented locale: ${most}`,
  ];
}

/** The live view as plain text lines: one row per topic, the latest minute's insights, late events, then rejections by reason. */
export function renderFlow(snapshot: FlowSnapshot, topics: TopicNames, reconciliation: string): string[] {
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
    `  ${reconciliation}`,
    '',
    ...minuteLines(snapshot.latestMinute),
    `  late events (after their window closed): ${num(snapshot.counts.late)}`,
    '',
    '  rejections by reason:',
  ];
  if (snapshot.rejections.length === 0) lines.push('    (none yet)');
  for (const [reason, count] of snapshot.rejections) lines.push(`    ${reason.padEnd(26)} ${num(count).padStart(10)}`);
  return lines;
}
