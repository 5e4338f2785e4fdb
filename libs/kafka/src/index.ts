export { createKafka, kafkaLogCreator } from './create-kafka';
export { ensureTopics } from './ensure-topics';
export type { EnsureTopicsOptions, TopicSpec } from './ensure-topics';
export { trapShutdownSignals } from './graceful-shutdown';
export type { ShutdownOptions } from './graceful-shutdown';
export { pipelineTopicSpecs } from './pipeline-topics';
export { keyPartitioner, murmur2 } from './key-partitioner';
export { readToEnd } from './read-to-end';
export type { ReadToEndOptions } from './read-to-end';
