import { startBroker } from './broker';
import type { BrokerStarters } from './broker';

const stopped: string[] = [];
const starters = (overrides: Partial<BrokerStarters>, said: string[]): BrokerStarters => ({
  containerRuntimeAvailable: async () => false,
  startContainerBroker: async () => ({ bootstrapServers: 'container:9093', stop: async () => void stopped.push('container') }),
  startLocalBroker: async () => ({ bootstrapServers: '127.0.0.1:9092', stop: async () => void stopped.push('local') }),
  say: (line) => said.push(line),
  ...overrides,
});

describe('startBroker', () => {
  test('when KAFKA_BROKERS is set, then that broker is used as is and stop leaves it alone', async () => {
    const broker = await startBroker({ KAFKA_BROKERS: ' kafka-1:9092,kafka-2:9092 ' });

    expect(broker).toMatchObject({ kind: 'external', bootstrapServers: 'kafka-1:9092,kafka-2:9092' });
    await expect(broker.stop()).resolves.toBeUndefined();
  });

  test('when a container runtime answers and the container starts, then it is the broker', async () => {
    const said: string[] = [];
    const broker = await startBroker({}, starters({ containerRuntimeAvailable: async () => true }, said));
    expect(broker).toMatchObject({ kind: 'container', bootstrapServers: 'container:9093' });
    expect(said).toEqual([]);
  });

  test('when a container runtime answers but the image cannot be pulled, then the local JVM broker is used and one line says why', async () => {
    const said: string[] = [];
    const pullFailure = new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\n  at ...');
    const broker = await startBroker(
      {},
      starters({ containerRuntimeAvailable: async () => true, startContainerBroker: () => Promise.reject(pullFailure) }, said),
    );
    expect(broker).toMatchObject({ kind: 'local-jvm', bootstrapServers: '127.0.0.1:9092' });
    expect(said).toEqual([
      'kafka-testing: a container runtime answers but the Kafka container did not start ((HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host); using a local JVM broker instead',
    ]);
    await broker.stop();
    expect(stopped).toContain('local');
  });

  test('when no container runtime answers, then the local JVM broker is used without a word', async () => {
    const said: string[] = [];
    expect(await startBroker({}, starters({}, said))).toMatchObject({ kind: 'local-jvm' });
    expect(said).toEqual([]);
  });
});
