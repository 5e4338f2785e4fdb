export { ExactlyOnceStage } from './stage';
export type { CommittedBatch, StageOptions } from './stage';
export type { BatchContext, BatchHandler, OutputRecord, RecordOutcome, StageHandler } from './stage-handler';
export { buildRecordBatch, MAX_REQUEST_BYTES } from './record-batch';
export type { OutputTopics, RecordBatch } from './record-batch';
export { deadLetterRecord } from './dead-letter-record';
export type { DeadLetterSource } from './dead-letter-record';
export { transactionalIdOf } from './fencing';
