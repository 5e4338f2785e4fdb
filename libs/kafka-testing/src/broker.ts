import type * as ContainerBrokerModule from './container-broker';
import { startLocalBroker } from './local-broker';

export type BrokerKind = 'external' | 'container' | 'local-jvm';

export interface RunningBroker {
  readonly bootstrapServers: string;
  readonly kind: BrokerKind;
  /** Plain function (no `this`), so the handle can be destructured. */
  readonly stop: () => Promise<void>;
}

/**
 * A broker for tests and local runs, cheapest reliable option first: the one named by
 * KAFKA_BROKERS (left running on stop), else a container, else a local JVM process.
 */
export async function startBroker(env: NodeJS.ProcessEnv = process.env): Promise<RunningBroker> {
  const external = env.KAFKA_BROKERS?.trim();
  if (external) {
    return { bootstrapServers: external, kind: 'external', stop: async () => undefined };
  }
  // Required only here: loading testcontainers takes ~0.5 s, which every test file importing
  // this package would otherwise pay. (A dynamic import() would need jest's ESM mode.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { containerRuntimeAvailable, startContainerBroker } = require('./container-broker') as typeof ContainerBrokerModule;
  if (await containerRuntimeAvailable()) {
    const { bootstrapServers, stop } = await startContainerBroker();
    return { bootstrapServers, kind: 'container', stop };
  }
  const { bootstrapServers, stop } = await startLocalBroker();
  return { bootstrapServers, kind: 'local-jvm', stop };
}
