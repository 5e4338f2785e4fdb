export { reconcile } from './reconcile';
export type { ReadProgress, ReconcileOptions, Reconciliation } from './reconcile';
export { InsightsCheck } from './insights-check';
export type { InsightsReport, InsightsStatus, WindowSizeReport } from './insights-check';
export { LineageCheck } from './lineage-check';
export type { InputPartition, InputPartitionReport, ProcessorReport } from './lineage-check';
export { reconciliationLine, reconciliationReport, verdict } from './format-report';
export { startReconciliationLoop } from './reconciliation-loop';
export type { CheckState, ReconciliationLoop, ReconciliationLoopOptions } from './reconciliation-loop';
