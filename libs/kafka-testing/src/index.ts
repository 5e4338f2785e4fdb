export { uniqueName } from './unique-name';
export { withTimeout, waitUntil } from './wait-for';
export type { WaitOptions } from './wait-for';
export { waitForGroupJoin } from './group-join';
export { collectMessages } from './collect-messages';
export type { CollectedMessage, CollectOptions } from './collect-messages';
export { TestKafka } from './test-kafka';
export { startBroker } from './broker';
export type { BrokerKind, RunningBroker } from './broker';
