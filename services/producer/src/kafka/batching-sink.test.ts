import { BatchingSink } from './batching-sink';
import type { BatchingSinkOptions, SinkMessage } from './batching-sink';

const message = (n: number, bytes = 10): SinkMessage => ({ key: Buffer.from(`k${n}`), value: Buffer.alloc(bytes, n % 256) });

/** A fake broker whose acknowledgements the test releases by hand. */
function manualBroker() {
  const batches: SinkMessage[][] = [];
  const acks: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  const send = (messages: SinkMessage[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(messages);
      acks.push({ resolve, reject });
    });
  const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { batches, acks, send, flushMicrotasks };
}

const OPTIONS: BatchingSinkOptions = {
  batchMessages: 3,
  batchBytes: 1_000_000,
  maxPendingBatches: 2,
  lingerMs: 10_000,
  ackTimeoutMs: 10_000,
};

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
    const sink = new BatchingSink(async (messages) => void sent.push(messages.length), { ...OPTIONS, batchMessages: 100, batchBytes: 200 });
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

  it('when a batch is not full, then it is sent after the linger time', async () => {
    jest.useFakeTimers();
    try {
      const sent: number[] = [];
      const sink = new BatchingSink(async (messages) => void sent.push(messages.length), { ...OPTIONS, lingerMs: 50 });
      await sink.push(message(1));
      expect(sent).toEqual([]);
      await jest.advanceTimersByTimeAsync(50);
      expect(sent).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when a send fails, then it and every later batch count as failed and push and flush reject with PRODUCE_FAILED', async () => {
    const broker = manualBroker();
    const sink = new BatchingSink(broker.send, OPTIONS);
    for (let i = 0; i < 5; i++) await sink.push(message(i));
    const waiting = sink.push(message(5));
    broker.acks[0]?.reject(new Error('MESSAGE_TOO_LARGE'));
    await expect(waiting).rejects.toMatchObject({ code: 'PRODUCE_FAILED', message: expect.stringMatching(/MESSAGE_TOO_LARGE/) });
    await expect(sink.push(message(6))).rejects.toMatchObject({ code: 'PRODUCE_FAILED' });
    await expect(sink.flush()).rejects.toMatchObject({ code: 'PRODUCE_FAILED' });
    expect(broker.batches).toHaveLength(1);
    expect(sink.counts).toEqual({ sent: 0, failed: 6 });
  });

  it('when the broker never acknowledges, then the batch fails after the ack timeout instead of hanging', async () => {
    jest.useFakeTimers();
    try {
      const broker = manualBroker();
      const sink = new BatchingSink(broker.send, { ...OPTIONS, ackTimeoutMs: 1_000 });
      await sink.push(message(1));
      const flushed = sink.flush();
      const outcome = expect(flushed).rejects.toMatchObject({ code: 'PRODUCE_FAILED', message: expect.stringMatching(/no acknowledgement within 1000 ms/) });
      await jest.advanceTimersByTimeAsync(1_000);
      await outcome;
      expect(sink.counts).toEqual({ sent: 0, failed: 1 });
    } finally {
      jest.useRealTimers();
    }
  });
});
