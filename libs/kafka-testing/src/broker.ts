import type * as ContainerBrokerModule from './container-broker';
import { startLocalBroker } from './local-broker';

export type BrokerKind = 'external' | 'container' | 'local-jvm';

export interface RunningBroker {
  readonly bootstrapServers: string;
  readonly kind: BrokerKind;
  /** Plain function (no `this`), so the handle can be destructured. */
  readonly stop: () => Promise<void>;
}

/** What startBroker starts brokers with; tests replace them. */
export interface BrokerStarters {
  readonly containerRuntimeAvailable: () => Promise<boolean>;
  readonly startContainerBroker: () => Promise<{ bootstrapServers: string; stop: () => Promise<void> }>;
  readonly startLocalBroker: () => Promise<{ bootstrapServers: string; stop: () => Promise<void> }>;
  /** One line on why a cheaper option was passed over. */
  readonly say: (line: string) => void;
}

function defaultStarters(): BrokerStarters {
  // Required only here: loading testcontainers takes ~0.5 s, which every test file importing
  // this package would otherwise pay. (A dynamic import() would need jest's ESM mode.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { containerRuntimeAvailable, startContainerBroker } = require('./container-broker') as typeof ContainerBrokerModule;
  return { containerRuntimeAvailable, startContainerBroker, startLocalBroker, say: (line) => process.stderr.write(`${line}\n`) };
}

/** The first line of why something failed, for a one-line notice. */
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/**
 * A broker for tests and local runs, cheapest reliable option first: the one named by
 * KAFKA_BROKERS (left running on stop), else a container, else a local JVM process. A
 * container runtime that answers but cannot start the Kafka container (its image cannot be
 * pulled, say) falls back to the local JVM broker, with one line saying why.
 */
export async function startBroker(env: NodeJS.ProcessEnv = process.env, starters: BrokerStarters = defaultStarters()): Promise<RunningBroker> {
  const external = env.KAFKA_BROKERS?.trim();
  if (external) {
    return { bootstrapServers: external, kind: 'external', stop: async () => undefined };
  }
  if (await starters.containerRuntimeAvailable()) {
    try {
      const { bootstrapServers, stop } = await starters.startContainerBroker();
      return { bootstrapServers, kind: 'container', stop };
    } catch (err) {
      starters.say(`kafka-testing: a container runtime answers but the Kafka container did not start (${firstLine(err)}); using a local JVM broker instead`);
    }
  }
  const { bootstrapServers, stop } = await starters.startLocalBroker();
  return { bootstrapServers, kind: 'local-jvm', stop };
}
