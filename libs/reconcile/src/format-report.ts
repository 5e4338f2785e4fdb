import type { InputPartitionReport } from './lineage-check';
import type { Reconciliation } from './reconcile';

const n = (value: number) => value.toLocaleString('en-US');

/** OK, or what was found: the word the demo, the dashboard and the CLI lead with. */
export function verdict(r: Reconciliation): 'OK' | 'MISSING' | 'DUPLICATED' | 'MISSING+DUPLICATED' | 'INSIGHTS MISMATCH' {
  const { missing, duplicated } = r.processor;
  if (missing > 0 && duplicated > 0) return 'MISSING+DUPLICATED';
  if (missing > 0) return 'MISSING';
  if (duplicated > 0) return 'DUPLICATED';
  return r.insights.status === 'mismatch' ? 'INSIGHTS MISMATCH' : 'OK';
}

function insightsPart(r: Reconciliation): string {
  const { status, sizes } = r.insights;
  if (status === 'no-windows') return 'insights: no windows yet';
  const each = sizes.map((s) => `${s.windowSize} ${n(s.resultLogins)} + ${n(s.lateEvents)} late ${s.resultLogins + s.lateEvents === s.processedLogins ? '=' : '≠'} ${n(s.processedLogins)}${s.duplicateWindows > 0 ? ` (${n(s.duplicateWindows)} windows twice)` : ''}`);
  return `insights ${status}: ${each.join(', ')}`;
}

/** One line: the verdict, the processor's counts, the insights balance per window size. */
export function reconciliationLine(r: Reconciliation): string {
  const p = r.processor;
  return `reconciliation ${verdict(r)}: ${n(p.checked)} input offsets checked, ${n(p.missing)} missing, ${n(p.duplicated)} duplicated, ${n(p.inFlight)} in flight; ${insightsPart(r)}`;
}

function offsets(list: readonly number[], count: number): string {
  return `${list.join(', ')}${count > list.length ? `, … (${n(count)} in all)` : ''}`;
}

function partitionLine(topic: string, p: InputPartitionReport): string {
  const findings = [p.missing > 0 ? `missing ${offsets(p.missingOffsets, p.missing)}` : '', p.duplicated > 0 ? `duplicated ${offsets(p.duplicatedOffsets, p.duplicated)}` : ''].filter((s) => s !== '');
  return `  ${topic}/${p.partition}: offsets ${n(p.low)}..${n(p.committed)} checked (${n(p.checked)}), ${n(p.inFlight)} in flight${findings.length > 0 ? `; ${findings.join('; ')}` : ''}`;
}

/** The full report: the line, then every input partition and window size. */
export function reconciliationReport(r: Reconciliation, inputTopic: string): string[] {
  const p = r.processor;
  return [
    reconciliationLine(r),
    `  outputs read: ${n(p.processed)} processed, ${n(p.deadLettered)} dead-lettered${p.unattributed > 0 ? `, ${n(p.unattributed)} processed records without a lineage to ${inputTopic}` : ''}`,
    ...p.partitions.map((partition) => partitionLine(inputTopic, partition)),
    ...r.insights.sizes.map(
      (s) => `  insights ${s.windowSize}: ${n(s.windows)} windows ${new Date(s.fromMs).toISOString()}..${new Date(s.untilMs).toISOString()}, ${n(s.resultLogins)} logins + ${n(s.lateEvents)} late, ${n(s.processedLogins)} processed in the range${s.balanced ? '' : ' (not balanced)'}`,
    ),
    ...(r.insights.sizes.length > 0 ? [`  insights ${r.insights.caughtUp ? 'had consumed everything' : 'was still consuming'} during the check`] : []),
    `  took ${r.seconds.toFixed(1)} s`,
  ];
}
