import { EVENT_TIME_HEADER } from '@login-stream/schema';
import { buildRecordBatch } from '@login-stream/exactly-once';
import type { RecordBatch, StageHandler } from '@login-stream/exactly-once';
import { createLogger } from '@login-stream/logger';
import type { KafkaMessage } from 'kafkajs';
import { kafkaMessage } from '../testing/kafka-message';
import { createSummaryHandler } from './summary-stage';
import type { SummaryState } from './summary-stage';

const logger = createLogger({ service: 'summary-stage-test', level: 'silent' });
const T = 1694479551000;
const processedValue = (user: string, eventTimeMs: number) =>
  JSON.stringify({ user_id: user, event_time_ms: eventTimeMs, event_time: new Date(eventTimeMs).toISOString() });
/** A processed-logins record as the routing stage writes it. */
const processed = (offset: number, user: string, eventTimeMs: number) =>
  kafkaMessage(offset, user, processedValue(user, eventTimeMs), { [EVENT_TIME_HEADER]: Buffer.from(String(eventTimeMs)) });

function handler() {
  return createSummaryHandler('user-summary', async (partitions) => partitions.map((): SummaryState => new Map()), logger);
}

const OUTPUTS = { maxBatchBytes: new Map([['user-summary', 1_048_588], ['dlq', 1_048_588]]), deadLetterTopic: 'dlq', deadLetterPartitions: 1 };

/** One batch through the stage's record loop, as ExactlyOnceStage runs it; `committed` as after its transaction. */
function runBatch(h: StageHandler<SummaryState>, partition: number, messages: KafkaMessage[], state: SummaryState): RecordBatch & { committed: () => void } {
  const now = '2024-01-01T00:00:00.000Z';
  const work = h.batch(state, { partition, now });
  return { ...buildRecordBatch(work, messages, { topic: 'processed-logins', partition, failedAt: now }, OUTPUTS), committed: () => work.committed() };
}

interface Emitted {
  readonly partition: number | undefined;
  readonly first_seen_ms: number;
  readonly last_seen_ms: number;
}

function emitted(output: RecordBatch): Emitted[] {
  return output.requests.flat().flatMap((t) => t.messages.map((m) => ({ partition: m.partition, ...(JSON.parse(String(m.value)) as Omit<Emitted, 'partition'>) })));
}

describe('summary stage', () => {
  it('when a user logs in first, later, earlier and in between, then only the three changes are emitted, in order', () => {
    const state: SummaryState = new Map();
    const output = runBatch(handler(), 4, [processed(0, 'u', T), processed(1, 'u', T + 60_000), processed(2, 'u', T - 60_000), processed(3, 'u', T)], state);

    expect(emitted(output).map((s) => [s.first_seen_ms, s.last_seen_ms])).toEqual([
      [T, T],
      [T, T + 60_000],
      [T - 60_000, T + 60_000],
    ]);
  });

  it('when summaries are emitted, then they go to the user-summary partition with the number of the input partition, keyed by user_id', () => {
    const output = runBatch(handler(), 4, [processed(0, 'u', T)], new Map());
    expect(output.requests).toEqual([[{ topic: 'user-summary', messages: [expect.objectContaining({ key: 'u', partition: 4 })] }]]);
  });

  it('when the state already knows the range, then a login inside it emits nothing', () => {
    const state: SummaryState = new Map([['u', { firstSeenMs: T - 1000, lastSeenMs: T + 1000 }]]);
    expect(runBatch(handler(), 0, [processed(0, 'u', T)], state).requests).toEqual([]);
  });

  it('when a batch has not committed, then the state is unchanged, so a retried batch emits the same summaries again', () => {
    const state: SummaryState = new Map();
    const h = handler();
    const first = emitted(runBatch(h, 0, [processed(0, 'u', T)], state));
    expect(state.size).toBe(0);
    expect(emitted(runBatch(h, 0, [processed(0, 'u', T)], state))).toEqual(first);
  });

  it('when a batch commits, then its changes become the state and are counted', () => {
    const state: SummaryState = new Map();
    const output = runBatch(handler(), 0, [processed(0, 'u', T), processed(1, 'v', T)], state);
    output.committed();
    expect(state).toEqual(new Map([['u', { firstSeenMs: T, lastSeenMs: T }], ['v', { firstSeenMs: T, lastSeenMs: T }]]));
    expect(output.outputs).toEqual(new Map([['user-summary', 2]]));
  });

  it('when a processed record cannot be read, then it is skipped and the rest of the batch is summarized', () => {
    const output = runBatch(handler(), 0, [kafkaMessage(0, 'u', 'not json'), processed(1, 'u', T)], new Map());
    expect(emitted(output)).toHaveLength(1);
  });

  it('when a record carries the event-time header, then its time comes from the header, not from the value', () => {
    const record = kafkaMessage(0, 'u', 'not json', { [EVENT_TIME_HEADER]: Buffer.from(String(T)) });
    expect(emitted(runBatch(handler(), 0, [record], new Map())).map((s) => s.first_seen_ms)).toEqual([T]);
  });

  it('when a record has no event-time header (written by an older processor), then its time is read from its JSON value', () => {
    const output = runBatch(handler(), 0, [kafkaMessage(0, 'u', processedValue('u', T))], new Map());
    expect(emitted(output).map((s) => s.first_seen_ms)).toEqual([T]);
  });
});
