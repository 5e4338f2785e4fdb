export { parseEnv } from './parse-env';
export type { Env } from './parse-env';
export { envBoolean, envInt, envList, envTopic } from './env-types';
export { loadPipelineConfig } from './pipeline-config';
export type { KafkaSettings, PipelineConfig, SaslSettings, TopicNames } from './pipeline-config';
export { loadDotEnv } from './dotenv';
