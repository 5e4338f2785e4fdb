import { collectMessages, TestKafka, uniqueName } from '@login-stream/kafka-testing';

// Fails on unpatched kafkajs 2.2.4: it leaked 'a1 aborted' here (see patches/kafkajs+2.2.4.patch).
describe('read_committed with overlapping aborted transactions, against a real broker', () => {
  const testKafka = new TestKafka();
  afterAll(() => testKafka.close());

  it('when two producers abort overlapping transactions out of order, then a read_committed consumer sees none of their records', async () => {
    const topic = await testKafka.createTopic('aborted-overlap', 1);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((p) => testKafka.producer({ transactionalId: uniqueName(p), maxInFlightRequests: 1 })));
    const ta = await a.transaction();
    await ta.send({ topic, messages: [{ value: 'a1 aborted' }] });
    const tb = await b.transaction();
    await tb.send({ topic, messages: [{ value: 'b1 aborted' }] });
    await tb.abort();
    await ta.send({ topic, messages: [{ value: 'a2 aborted' }] });
    await ta.abort();
    const tc = await c.transaction();
    await tc.send({ topic, messages: [{ value: 'c1 committed' }] });
    await tc.commit();

    const seen = await collectMessages(testKafka.kafka, { topic, count: 1 });

    expect(seen.map((m) => m.value?.toString())).toEqual(['c1 committed']);
  });
});
