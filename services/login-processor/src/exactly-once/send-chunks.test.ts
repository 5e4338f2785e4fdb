import { chunkTopicMessages } from './send-chunks';

const message = (bytes: number) => ({ key: 'k', value: 'x'.repeat(bytes) });
const shape = (chunks: ReturnType<typeof chunkTopicMessages>) => chunks.map((c) => c.map((t) => [t.topic, t.messages.length]));

describe('splitting a transaction’s records into produce requests', () => {
  it('when everything fits, then one request carries it all, topics in order', () => {
    expect(shape(chunkTopicMessages([{ topic: 'a', messages: [message(10)] }, { topic: 'b', messages: [message(10)] }], 1000))).toEqual([
      [
        ['a', 1],
        ['b', 1],
      ],
    ]);
  });

  it('when the records exceed the bound, then they are split in order into requests below it', () => {
    const chunks = chunkTopicMessages([{ topic: 'a', messages: Array.from({ length: 10 }, () => message(200)) }], 1000);
    expect(shape(chunks)).toEqual([[['a', 4]], [['a', 4]], [['a', 2]]]);
  });

  it('when one record alone exceeds the bound, then it is sent by itself rather than dropped', () => {
    expect(shape(chunkTopicMessages([{ topic: 'a', messages: [message(10), message(5000), message(10)] }], 1000))).toEqual([[['a', 1]], [['a', 1]], [['a', 1]]]);
  });

  it('when there is nothing to send, then there are no requests', () => {
    expect(chunkTopicMessages([])).toEqual([]);
  });
});
