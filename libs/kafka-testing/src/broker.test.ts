import { startBroker } from './broker';

describe('startBroker', () => {
  test('when KAFKA_BROKERS is set, then that broker is used as is and stop leaves it alone', async () => {
    const broker = await startBroker({ KAFKA_BROKERS: ' kafka-1:9092,kafka-2:9092 ' });

    expect(broker).toMatchObject({ kind: 'external', bootstrapServers: 'kafka-1:9092,kafka-2:9092' });
    await expect(broker.stop()).resolves.toBeUndefined();
  });
});
