import { startBroker, type RunningBroker } from './broker';

/** Where setup leaves the broker for teardown; both run in jest's main process. */
export const BROKER_HANDLE = Symbol.for('@login-stream/kafka-testing/broker');

type GlobalWithBroker = typeof globalThis & { [BROKER_HANDLE]?: RunningBroker };

export function takeBrokerHandle(): RunningBroker | undefined {
  const scope = globalThis as GlobalWithBroker;
  const broker = scope[BROKER_HANDLE];
  delete scope[BROKER_HANDLE];
  return broker;
}

/** Starts one broker for the whole integration run; workers inherit KAFKA_BROKERS. */
export default async function globalSetup(): Promise<void> {
  const startedAt = performance.now();
  const broker = await startBroker();
  (globalThis as GlobalWithBroker)[BROKER_HANDLE] = broker;
  process.env.KAFKA_BROKERS = broker.bootstrapServers;
  const elapsedMs = Math.round(performance.now() - startedAt);
  process.stderr.write(`\nkafka-testing: ${broker.kind} broker at ${broker.bootstrapServers} (ready in ${elapsedMs} ms)\n`);
}
