export { dropUnsetVariables, isSet, parseEnv } from './parse-env';
export type { Env } from './parse-env';
export { envBoolean, envInt, envList, envTopic } from './env-types';
export { COMPRESSION_CODECS, loadPipelineConfig } from './pipeline-config';
export type { CompressionCodec, KafkaSettings, PipelineConfig, SaslSettings, TopicNames } from './pipeline-config';
export { loadDotEnv } from './dotenv';
export { stageEnv, stageSettingsFrom } from './stage-settings';
export type { StageSettings } from './stage-settings';
