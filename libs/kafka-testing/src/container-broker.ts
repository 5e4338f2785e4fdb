import { KafkaContainer } from '@testcontainers/kafka';
import { getContainerRuntimeClient } from 'testcontainers';

/** Confluent Platform 7.9 ships Apache Kafka 3.9, the version the local JVM broker runs. */
export const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.1';
/** The plaintext listener KafkaContainer publishes to the host. */
const HOST_LISTENER_PORT = 9093;
const RUNTIME_PROBE_TIMEOUT_MS = 5_000;

export interface ContainerBroker {
  readonly bootstrapServers: string;
  readonly stop: () => Promise<void>;
}

/** Whether a Docker-compatible runtime answers; bounded so a stuck socket cannot hang start-up. */
export async function containerRuntimeAvailable(timeoutMs = RUNTIME_PROBE_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      getContainerRuntimeClient().then(
        () => true,
        () => false,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Testcontainers' reaper removes the container should this process die before stop(). */
export async function startContainerBroker(): Promise<ContainerBroker> {
  const container = await new KafkaContainer(KAFKA_IMAGE)
    .withKraft()
    .withEnvironment({
      // KafkaContainer leaves these at multi-node defaults, which break transactions on one node.
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
      // Same behaviour as the local JVM broker: topics must be created explicitly.
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .start();
  return {
    bootstrapServers: `${container.getHost()}:${container.getMappedPort(HOST_LISTENER_PORT)}`,
    stop: async () => {
      await container.stop({ remove: true });
    },
  };
}
