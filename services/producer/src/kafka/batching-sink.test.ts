import { OutageWindow } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { BatchingSink } from './batching-sink';
import type { BatchingSinkOptions, SinkMessage } from './batching-sink';

const message = (n: number, bytes = 10): SinkMessage => ({ key: Buffer.from(`k${n}`), value: Buffer.alloc(bytes, n % 256) });

/** A fake broker whose acknowledgements the test releases by hand. */
function manualBroker() {
  const batches: SinkMessage[][] = [];
  const acks: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  const waiters: Array<() => void> = [];
  const send = (messages: SinkMessage[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(messages);
      acks.push({ resolve, reject });
      waiters.splice(0).forEach((wake) => wake());
    });
  const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Resolves with the acknowledgement of send number `n` (0-based) once it has been made. */
  const sendNumber = async (n: number) => {
    while (acks.length <= n) await new Promise<void>((wake) => waiters.push(wake));
    return acks[n];
  };
  return { batches, acks, send, flushMicrotasks, sendNumber };
}

const logger = createLogger({ service: 'batching-sink-test', level: 'silent' });
const options = (overrides: Partial<BatchingSinkOptions> = {}): BatchingSinkOptions => ({
  batchMessages: 3,
  batchBytes: 1_000_000,
  maxPendingBatches: 2,
  lingerMs: 10_000,
  outage: new OutageWindow({ limitMs: 60_000, what: 'the producer', firstBackoffMs: 1 }),
  logger,
  ...overrides,
});
const OPTIONS = options();
/** How kafkajs reports a broker that went away: a retriable connection error. */
const connectionLost = () => Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError', retriable: true });

describe('batching sink', () => {
  it('when messages are pushed, then they are sent in batches, in order, and counted once acknowledged', async () => {
    const sent: SinkMessage[][] = [];
    const sink = new BatchingSink(async (messages) => void sent.push(messages), OPTIONS);
    for (let i = 0; i < 7; i++) await sink.push(message(i));
    await sink.flush();
    expect(sent.map((b) => b.map((m) => m.key?.toString()))).toEqual([['k0', 'k1', 'k2'], ['k3', 'k4', 'k5'], ['k6']]);
    expect(sink.counts).toEqual({ sent: 7, failed: 0 });
  });

  it('when a batch reaches the byte limit first, then it is sent early', async () => {
    const sent: number[] = [];
    const sink = new BatchingSink(async (messages) => void sent.push(messages.length), options({ batchMessages: 100, batchBytes: 200 }));
    for (let i = 0; i < 10; i++) await sink.push(message(i, 50)); // ~68 bytes each with key and overhead
    await sink.flush();
    expect(sent).toEqual([3, 3, 3, 1]);
  });

  it('when the broker is slow, then one batch is in flight, one waits behind it, and the push that fills a third waits', async () => {
    const broker = manualBroker();
    const sink = new BatchingSink(broker.send, OPTIONS);
    for (let i = 0; i < 5; i++) await sink.push(message(i));
    let sixthDone = false;
    const sixth = Promise.resolve(sink.push(message(5))).then(() => (sixthDone = true));
    await broker.flushMicrotasks();
    expect(broker.batches).toHaveLength(1); // the second is queued behind the first, not sent
    expect(sixthDone).toBe(false); // two batches outstanding: back-pressure

    broker.acks[0]?.resolve();
    await sixth;
    await broker.flushMicrotasks();
    expect(broker.batches).toHaveLength(2);
    expect(sink.counts).toEqual({ sent: 3, failed: 0 });
    broker.acks[1]?.resolve();
    await sink.flush();
    expect(sink.counts).toEqual({ sent: 6, failed: 0 });
  });

  it('when source items are skipped between messages, then each batch tells how many source items it accounts for, skipped ones included', async () => {
    const sent: Array<[string[], number]> = [];
    const sink = new BatchingSink(async (messages, items) => void sent.push([messages.map((m) => String(m.key)), items]), OPTIONS);
    await sink.push(message(0));
    sink.skip();
    await sink.push(message(1));
    await sink.push(message(2)); // the third message fills the batch
    sink.skip();
    sink.skip();
    await sink.flush();
    expect(sent).toEqual([
      [['k0', 'k1', 'k2'], 4],
      [[], 2],
    ]);
    expect(sink.counts).toEqual({ sent: 3, failed: 0 });
  });

  it('when a batch is not full, then it is sent after the linger time', async () => {
    jest.useFakeTimers();
    try {
      const sent: number[] = [];
      const sink = new BatchingSink(async (messages) => void sent.push(messages.length), options({ lingerMs: 50 }));
      await sink.push(message(1));
      expect(sent).toEqual([]);
      await jest.advanceTimersByTimeAsync(50);
      expect(sent).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when a send fails for good, then it and every later batch count as failed and push and flush reject with PRODUCE_FAILED', async () => {
    const broker = manualBroker();
    const sink = new BatchingSink(broker.send, OPTIONS);
    for (let i = 0; i < 5; i++) await sink.push(message(i));
    const waiting = sink.push(message(5));
    broker.acks[0]?.reject(Object.assign(new Error('INVALID_RECORD'), { name: 'KafkaJSProtocolError', type: 'INVALID_RECORD', retriable: false }));
    await expect(waiting).rejects.toMatchObject({ code: 'PRODUCE_FAILED', message: expect.stringMatching(/INVALID_RECORD/) });
    await expect(sink.push(message(6))).rejects.toMatchObject({ code: 'PRODUCE_FAILED' });
    await expect(sink.flush()).rejects.toMatchObject({ code: 'PRODUCE_FAILED' });
    expect(broker.batches).toHaveLength(1);
    expect(sink.counts).toEqual({ sent: 0, failed: 6 });
  });

  it('when the broker is unreachable for a while, then the same batch is sent again until it is acknowledged, in order, and nothing fails', async () => {
    const broker = manualBroker();
    const sink = new BatchingSink(broker.send, OPTIONS);
    for (let i = 0; i < 4; i++) await sink.push(message(i));
    const flushed = sink.flush();
    for (let attempt = 0; attempt < 3; attempt++) (await broker.sendNumber(attempt)).reject(connectionLost());
    (await broker.sendNumber(3)).resolve();
    (await broker.sendNumber(4)).resolve();
    await flushed;
    expect(broker.batches.map((b) => b.map((m) => m.key?.toString()).join(','))).toEqual(['k0,k1,k2', 'k0,k1,k2', 'k0,k1,k2', 'k0,k1,k2', 'k3']);
    expect(sink.counts).toEqual({ sent: 4, failed: 0 });
  });

  it('when the broker stays unreachable past the outage limit, then the batch fails with BROKER_UNREACHABLE naming KAFKA_OUTAGE_TIMEOUT_MS', async () => {
    let now = 0;
    const outage = new OutageWindow({ limitMs: 1_000, what: 'the producer', clock: () => now, firstBackoffMs: 1 });
    const sink = new BatchingSink(async () => {
      now += 400;
      throw connectionLost();
    }, options({ outage }));
    await sink.push(message(1));
    await expect(sink.flush()).rejects.toMatchObject({ code: 'BROKER_UNREACHABLE', message: expect.stringMatching(/KAFKA_OUTAGE_TIMEOUT_MS \(1000\)/) });
    expect(sink.counts).toEqual({ sent: 0, failed: 1 });
  });

  it('when the run is stopping while the broker is unreachable, then the batch is not retried and fails at once', async () => {
    const stop = new AbortController();
    stop.abort();
    let sends = 0;
    const sink = new BatchingSink(async () => {
      sends++;
      throw connectionLost();
    }, options({ signal: stop.signal }));
    await sink.push(message(1));
    await expect(sink.flush()).rejects.toMatchObject({ code: 'PRODUCE_FAILED', message: expect.stringMatching(/stopping while Kafka was unreachable/) });
    expect(sends).toBe(1);
  });
});
