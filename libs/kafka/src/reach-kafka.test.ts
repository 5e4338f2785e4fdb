import { reachKafka } from './reach-kafka';

const options = { brokers: ['kafka-1:9092', 'kafka-2:9092'], timeoutMs: 50 };

describe('reachKafka', () => {
  it('when the connection succeeds, then its value is returned', async () => {
    await expect(reachKafka(Promise.resolve('connected'), options)).resolves.toBe('connected');
  });

  it('when the connection fails, then the failure is BROKER_UNREACHABLE naming the brokers and KAFKA_BROKERS, with the cause kept', async () => {
    const cause = new Error('Connection error: connect ECONNREFUSED');
    await expect(reachKafka(Promise.reject(cause), options)).rejects.toMatchObject({
      code: 'BROKER_UNREACHABLE',
      message: 'cannot reach Kafka at kafka-1:9092,kafka-2:9092 (KAFKA_BROKERS): Connection error: connect ECONNREFUSED',
      cause,
      details: { brokers: options.brokers },
    });
  });

  it('when nothing answers within the time given, then it fails with BROKER_UNREACHABLE saying so', async () => {
    await expect(reachKafka(new Promise(() => undefined), options)).rejects.toMatchObject({
      code: 'BROKER_UNREACHABLE',
      message: 'cannot reach Kafka at kafka-1:9092,kafka-2:9092 (KAFKA_BROKERS): no connection within 50 ms',
    });
  });
});
