import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { collectMessages } from './collect-messages';
import { startLocalBroker, type LocalBroker } from './local-broker';
import { isPortFree } from './ports';
import { TestKafka } from './test-kafka';
import { uniqueName } from './unique-name';

// Its own broker, not the shared one: this tests the local JVM path even where a container runtime exists.
const jvmToolsAvailable = ['java', 'mvn'].every((tool) => spawnSync(tool, ['-version']).status === 0);
const describeWithJvm = jvmToolsAvailable ? describe : describe.skip;

describeWithJvm('local JVM broker', () => {
  let broker: LocalBroker;

  beforeAll(async () => {
    broker = await startLocalBroker();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  test('when a message is produced in a committed transaction, then a read-committed consumer receives it', async () => {
    const kafka = new TestKafka([broker.bootstrapServers]);
    try {
      const topic = await kafka.createTopic('local-broker-roundtrip');
      const producer = await kafka.producer({ transactionalId: uniqueName('tx'), idempotent: true, maxInFlightRequests: 1 });
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'user-1', value: 'login' }] });
      await transaction.commit();

      const [message] = await collectMessages(kafka.kafka, { topic, count: 1 });

      expect(message?.key?.toString()).toBe('user-1');
      expect(message?.value?.toString()).toBe('login');
    } finally {
      await kafka.close();
    }
  });

  test('when stopped, then its directory is gone and its port is free again', async () => {
    await broker.stop();

    expect(existsSync(broker.dir)).toBe(false);
    await expect(isPortFree(Number(broker.bootstrapServers.split(':')[1]))).resolves.toBe(true);
  });
});
