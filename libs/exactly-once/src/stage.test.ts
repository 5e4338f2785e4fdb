import { createLogger } from '@login-stream/logger';
import { PipelineMetrics, StageMetrics } from '@login-stream/telemetry';
import type { Admin, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ExactlyOnceStage } from './stage';
import type { StageHandler } from './stage-handler';

// The stage's branches that need a broker to misbehave on cue, against a fake kafkajs: what it
// sends, commits, pauses and seeks is observed on the fakes.

const logger = createLogger({ service: 'stage-test', level: 'silent' });

type Listener = (event: { payload: Record<string, unknown> }) => void;

function fakeKafka(options: { committedOffset?: string; highWatermark?: string; failCommit?: () => Error | undefined; failSend?: () => Error | undefined } = {}) {
  const listeners = new Map<string, Listener[]>();
  const calls: string[] = [];
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash', END_BATCH_PROCESS: 'end-batch', REBALANCING: 'rebalancing', STOP: 'stop' },
    on: (event: string, fn: Listener) => void listeners.set(event, [...(listeners.get(event) ?? []), fn]),
    connect: async () => void calls.push('consumer.connect'),
    subscribe: async () => undefined,
    run: async (config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
      calls.push('consumer.run');
      eachBatch = config.eachBatch;
    },
    pause: (topics: Array<{ partitions: number[] }>) => void calls.push(`pause ${topics[0]?.partitions.join(',')}`),
    resume: (topics: Array<{ partitions: number[] }>) => void calls.push(`resume ${topics[0]?.partitions.join(',')}`),
    seek: ({ offset }: { offset: string }) => void calls.push(`seek ${offset}`),
    disconnect: async () => void calls.push('consumer.disconnect'),
  };
  let producers = 0;
  const kafka = {
    consumer: () => consumer,
    producer: () => {
      const id = ++producers;
      return {
        connect: async () => void calls.push(`producer ${id} connect`),
        disconnect: async () => void calls.push(`producer ${id} disconnect`),
        transaction: async () => ({
          sendBatch: async ({ topicMessages }: { topicMessages: Array<{ messages: unknown[] }> }) => {
            const failure = options.failSend?.();
            if (failure !== undefined) throw failure;
            calls.push(`producer ${id} send ${topicMessages.flatMap((t) => t.messages).length}`);
          },
          sendOffsets: async ({ topics }: { topics: Array<{ partitions: Array<{ offset: string; metadata?: string }> }> }) => {
            const p = topics[0]?.partitions[0];
            calls.push(`producer ${id} offsets ${p?.offset}${p?.metadata === undefined ? '' : ` ${p.metadata}`}`);
          },
          commit: async () => {
            const failure = options.failCommit?.();
            if (failure !== undefined) throw failure;
            calls.push(`producer ${id} commit`);
          },
          abort: async () => void calls.push(`producer ${id} abort`),
        }),
      };
    },
  } as unknown as Kafka;
  const admin = {
    fetchOffsets: async () => [{ topic: 'in', partitions: [{ partition: 0, offset: options.committedOffset ?? '-1' }] }],
    describeConfigs: async ({ resources }: { resources: Array<{ name: string }> }) => ({
      resources: resources.map((r) => ({ resourceName: r.name, configEntries: [{ configName: 'max.message.bytes', configValue: '1048588' }] })),
    }),
    fetchTopicMetadata: async () => ({ topics: [{ name: 'dlq', partitions: [{ partitionId: 0 }] }] }),
    fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: options.highWatermark ?? '0', offset: options.highWatermark ?? '0' }],
  } as unknown as Admin;
  const emit = (event: string, payload: Record<string, unknown>) => listeners.get(event)?.forEach((fn) => fn({ payload }));
  const batch = (firstOffset: number, values: string[]) => {
    const messages: KafkaMessage[] = values.map((v, i) => ({ key: null, value: Buffer.from(v), offset: String(firstOffset + i), timestamp: '0', attributes: 0, headers: {} }));
    const resolved: string[] = [];
    const payload = {
      batch: { topic: 'in', partition: 0, messages, firstOffset: () => String(firstOffset), lastOffset: () => String(firstOffset + values.length - 1) },
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: (offset: string) => void resolved.push(offset),
      heartbeat: async () => undefined,
    } as unknown as EachBatchPayload;
    return { payload, resolved, run: () => (eachBatch as (p: EachBatchPayload) => Promise<void>)(payload) };
  };
  return { kafka, admin, calls, emit, batch };
}

const echo: StageHandler<undefined> = {
  restore: async (partitions) => partitions.map(() => undefined),
  batch: () => ({ record: (m) => ({ outputs: [{ topic: 'out', key: null, value: m.value }] }), committed: () => undefined }),
};

function stageOn(fake: ReturnType<typeof fakeKafka>, fatal: unknown[], overrides: { outageTimeoutMs?: number; clock?: () => number; handler?: StageHandler<unknown>; tickIntervalMs?: number; metrics?: StageMetrics } = {}) {
  return new ExactlyOnceStage({
    name: 'test',
    kafka: fake.kafka,
    admin: fake.admin,
    logger,
    groupId: 'group',
    inputTopic: 'in',
    inputPartitions: 1,
    outputTopics: ['out'],
    deadLetterTopic: 'dlq',
    transactionalIdPrefix: 'tx',
    transactionTimeoutMs: 10_000,
    sessionTimeoutMs: 6_000,
    maxBytesPerPartition: 1024,
    fetchMaxWaitMs: 100,
    fetchMinBytes: 1,
    outageTimeoutMs: overrides.outageTimeoutMs ?? 60_000,
    handler: overrides.handler ?? echo,
    ...(overrides.tickIntervalMs !== undefined && { tickIntervalMs: overrides.tickIntervalMs }),
    onFatal: (err) => fatal.push(err),
    ...(overrides.clock !== undefined && { clock: overrides.clock }),
    ...(overrides.metrics !== undefined && { metrics: overrides.metrics }),
  });
}

const fenced = () => Object.assign(new Error('producer fenced'), { name: 'KafkaJSProtocolError', type: 'PRODUCER_FENCED', retriable: false });
const connectionLost = () => Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true });

describe('exactly-once stage branches', () => {
  it('when a former owner committed after the group join, then the first batch from before that offset is skipped by seeking to it, without a transaction', async () => {
    const fake = fakeKafka({ committedOffset: '5' });
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });

    const early = fake.batch(3, ['a', 'b', 'c', 'd']);
    await early.run();
    expect(fake.calls.filter((c) => c.includes('send') || c.includes('commit') || c.startsWith('seek'))).toEqual(['seek 5']);
    expect(early.resolved).toEqual([]);

    const next = fake.batch(5, ['e']);
    await next.run();
    expect(fake.calls.filter((c) => c.includes('send') || c.includes('offsets') || c.includes('commit'))).toEqual(['producer 1 send 1', 'producer 1 offsets 6', 'producer 1 commit']);
    expect(next.resolved).toEqual(['5']);
    expect(fatal).toEqual([]);
  });

  it('when the commit is fenced by another instance, then the partition is paused until the next rebalance, its producer closed, and nothing is fatal', async () => {
    let failing = true;
    const fake = fakeKafka({ failCommit: () => (failing ? fenced() : undefined) });
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });

    const batch = fake.batch(0, ['a']);
    await batch.run();
    expect(fake.calls).toContain('pause 0');
    expect(fake.calls).toContain('producer 1 disconnect');
    expect(batch.resolved).toEqual([]);
    expect(fatal).toEqual([]);

    // The next assignment resumes it, under a newly fenced producer.
    failing = false;
    fake.emit('join', { memberId: 'm2', memberAssignment: { in: [0] } });
    expect(fake.calls).toContain('resume 0');
    await fake.batch(0, ['a']).run();
    expect(fake.calls.filter((c) => c.endsWith('commit'))).toEqual(['producer 2 commit']);
  });

  it('when a commit fails transiently, then the error goes back to kafkajs to retry the batch, and the retry runs on a newly fenced producer', async () => {
    let failures = 1;
    const fake = fakeKafka({ failCommit: () => (failures-- > 0 ? connectionLost() : undefined) });
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });

    await expect(fake.batch(0, ['a']).run()).rejects.toMatchObject({ name: 'KafkaJSConnectionError' });
    const retry = fake.batch(0, ['a']);
    await retry.run();
    expect(retry.resolved).toEqual(['0']);
    expect(fake.calls).toContain('producer 1 disconnect');
    expect(fake.calls.filter((c) => c.endsWith('commit'))).toEqual(['producer 2 commit']);
    expect(fatal).toEqual([]);
  });

  it('when the broker refuses records as too large after the stage sized them (a limit lowered since takeover), then the batch is retried on a new lane that reads the limits again, not fatal', async () => {
    let failures = 1;
    const tooLarge = () => Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false });
    const fake = fakeKafka({ failSend: () => (failures-- > 0 ? tooLarge() : undefined) });
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    await expect(fake.batch(0, ['a']).run()).rejects.toMatchObject({ code: 'STALE_TOPIC_LIMITS' });
    const retry = fake.batch(0, ['a']);
    await retry.run();
    expect(retry.resolved).toEqual(['0']);
    expect(fatal).toEqual([]);
  });

  it('when a commit fails with a bug, then the failure is fatal', async () => {
    const fake = fakeKafka({ failCommit: () => new TypeError('x is undefined') });
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    await expect(fake.batch(0, ['a']).run()).rejects.toThrow(TypeError);
    expect(fatal).toHaveLength(1);
  });

  it('when the consumer crashes on a lost broker, then it is restarted after a backoff; when the outage outlasts the limit, then the stage gives up with BROKER_UNREACHABLE', async () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const fake = fakeKafka();
      const fatal: unknown[] = [];
      await stageOn(fake, fatal, { outageTimeoutMs: 5_000, clock: () => now }).start();
      expect(fake.calls.filter((c) => c === 'consumer.run')).toHaveLength(1);

      fake.emit('crash', { error: connectionLost(), restart: false });
      await jest.advanceTimersByTimeAsync(500);
      expect(fake.calls.filter((c) => c === 'consumer.run')).toHaveLength(2);

      now = 6_000;
      fake.emit('crash', { error: connectionLost(), restart: false });
      expect(fatal).toEqual([expect.objectContaining({ code: 'BROKER_UNREACHABLE' })]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when the consumer crashes with a bug, then the stage does not restart it and the failure is fatal', async () => {
    const fake = fakeKafka();
    const fatal: unknown[] = [];
    await stageOn(fake, fatal).start();
    fake.emit('crash', { error: new TypeError('x is undefined'), restart: false });
    expect(fatal).toEqual([expect.any(TypeError)]);
  });

  describe('ticks', () => {
    /** Counts its batches and ticks; a tick writes one record and checkpoints what it saw. */
    function tickingHandler(seen: Array<{ caughtUp: boolean; lastInputAtMs: number }>, fail?: () => Error | undefined): StageHandler<unknown> {
      let ticks = 0;
      return {
        restore: async (partitions) => partitions.map(() => undefined),
        batch: () => ({ record: (m) => ({ outputs: [{ topic: 'out', key: null, value: m.value }] }), checkpoint: () => 'batch', committed: () => undefined }),
        tick: (_state, context) => {
          const failure = fail?.();
          if (failure !== undefined) throw failure;
          seen.push({ caughtUp: context.caughtUp, lastInputAtMs: context.lastInputAtMs });
          return { outputs: [{ topic: 'out', key: null, value: Buffer.from('tick') }], checkpoint: `tick-${++ticks}`, committed: () => undefined };
        },
      };
    }

    it('when a lane ticks, then the tick writes in a transaction of its own that commits the offset of the last batch again, with the tick checkpoint as offset metadata', async () => {
      jest.useFakeTimers();
      try {
        let now = 1_000;
        const seen: Array<{ caughtUp: boolean; lastInputAtMs: number }> = [];
        const fake = fakeKafka();
        const fatal: unknown[] = [];
        const stage = stageOn(fake, fatal, { handler: tickingHandler(seen), tickIntervalMs: 100, clock: () => now });
        await stage.start();
        fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
        now = 2_000;
        await fake.batch(0, ['a', 'b']).run();
        fake.emit('end-batch', { partition: 0, offsetLag: '0' });
        await jest.advanceTimersByTimeAsync(100);

        expect(fake.calls.filter((c) => c.includes('send') || c.includes('offsets') || c.includes('commit'))).toEqual([
          'producer 1 send 2',
          'producer 1 offsets 2 batch',
          'producer 1 commit',
          'producer 1 send 1',
          'producer 1 offsets 2 tick-1',
          'producer 1 commit',
        ]);
        expect(seen).toEqual([{ caughtUp: true, lastInputAtMs: 2_000 }]);
        expect(fatal).toEqual([]);
        await stage.stop();
      } finally {
        jest.useRealTimers();
      }
    });

    it('when a partition has no committed offset, then a tick commits its earliest offset; while a fetch has not reached the end, the lane is not caught up', async () => {
      jest.useFakeTimers();
      try {
        const seen: Array<{ caughtUp: boolean; lastInputAtMs: number }> = [];
        const fake = fakeKafka({ highWatermark: '7' });
        const stage = stageOn(fake, [], { handler: tickingHandler(seen), tickIntervalMs: 100, clock: () => 5 });
        await stage.start();
        fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
        await jest.advanceTimersByTimeAsync(100);
        expect(fake.calls).toContain('producer 1 offsets 0 tick-1');
        expect(seen).toEqual([{ caughtUp: false, lastInputAtMs: 5 }]);
        await stage.stop();
      } finally {
        jest.useRealTimers();
      }
    });

    it('when a tick fails transiently, then its lane is dropped and the next tick prepares it again on a newly fenced producer, with nothing fatal', async () => {
      jest.useFakeTimers();
      try {
        let failures = 1;
        const fake = fakeKafka();
        const fatal: unknown[] = [];
        const stage = stageOn(fake, fatal, { handler: tickingHandler([], () => (failures-- > 0 ? connectionLost() : undefined)), tickIntervalMs: 100 });
        await stage.start();
        fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
        await jest.advanceTimersByTimeAsync(100);
        expect(fake.calls).toContain('producer 1 disconnect');
        await jest.advanceTimersByTimeAsync(200);
        expect(fake.calls.filter((c) => c.endsWith('commit'))).toEqual(['producer 2 commit']);
        expect(fatal).toEqual([]);
        await stage.stop();
      } finally {
        jest.useRealTimers();
      }
    });
  });
});

/** Lets the lane registry's preparation (all fakes, so only promise hops) run to its end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('exactly-once stage readiness and metrics', () => {
  it('when it has not joined, then it is not ready; once joined and its lanes are prepared, ready; during a rebalance and after stop, not', async () => {
    const fake = fakeKafka();
    const stage = stageOn(fake, []);
    await stage.start();
    expect(stage.readiness()).toEqual({ ready: false, reason: 'stage test is not in group group (joining or rebalancing)', partitions: 0 });
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    expect(stage.readiness()).toEqual({ ready: false, reason: 'stage test is preparing partitions 0', partitions: 1 });
    await settle();
    expect(stage.readiness()).toEqual({ ready: true, partitions: 1 });
    fake.emit('rebalancing', {});
    expect(stage.readiness().ready).toBe(false);
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    expect(stage.readiness()).toEqual({ ready: true, partitions: 1 });
    await stage.stop();
    expect(stage.readiness()).toEqual({ ready: false, reason: 'stage test is stopping', partitions: 1 });
  });

  it('when a batch commits and the fetch reports its lag, then records in and out, the committed transaction, event time and lag are on the metrics', async () => {
    const fake = fakeKafka();
    const metrics = new PipelineMetrics();
    const eventTimeMs = Date.now() - 5_000;
    const timed: StageHandler<undefined> = { ...echo, batch: (state, context) => ({ ...echo.batch(state, context), lastEventTimeMs: () => eventTimeMs }) };
    const stage = stageOn(fake, [], { handler: timed, metrics: new StageMetrics(metrics, 'test') });
    await stage.start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    await fake.batch(0, ['a', 'b', 'c']).run();
    fake.emit('end-batch', { topic: 'in', partition: 0, offsetLag: '4' });
    const text = await metrics.text();
    expect(text).toMatch(/^login_stream_records_in_total\{stage="test",topic="in"\} 3$/m);
    expect(text).toMatch(/^login_stream_records_out_total\{stage="test",topic="out"\} 3$/m);
    expect(text).toMatch(/^login_stream_transactions_total\{stage="test",outcome="committed"\} 1$/m);
    expect(text).toMatch(/^login_stream_consumer_lag_records\{stage="test",topic="in",partition="0"\} 4$/m);
    expect(text).toMatch(/^login_stream_rebalances_total\{stage="test"\} 1$/m);
    const lag = Number(/^login_stream_event_time_lag_seconds\{stage="test"\} (\S+)$/m.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(5);
    expect(lag).toBeLessThan(10);
    await stage.stop();
  });

  it('when a commit fails, then the transaction counts as aborted and nothing as written', async () => {
    let failing = true;
    const fake = fakeKafka({ failCommit: () => (failing ? connectionLost() : undefined) });
    const metrics = new PipelineMetrics();
    const stage = stageOn(fake, [], { metrics: new StageMetrics(metrics, 'test') });
    await stage.start();
    fake.emit('join', { memberId: 'm1', memberAssignment: { in: [0] } });
    await expect(fake.batch(0, ['a']).run()).rejects.toThrow('ECONNREFUSED');
    failing = false;
    const text = await metrics.text();
    expect(text).toMatch(/^login_stream_transactions_total\{stage="test",outcome="aborted"\} 1$/m);
    expect(text).not.toMatch(/^login_stream_records_out_total\{/m);
    await stage.stop();
  });
});
