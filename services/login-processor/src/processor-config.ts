import { envInt, envList, loadGroupNames, parseEnv, stageEnv, stageSettingsFrom } from '@login-stream/config';
import type { Env, StageSettings } from '@login-stream/config';
import { DEFAULT_LOGIN_RULES, LOGIN_FIELDS } from '@login-stream/schema';
import type { LoginRules } from '@login-stream/schema';
import { z } from 'zod';

const VERSION = /^\d+\.\d+(\.\d+)?$/;

const processorEnv = {
  /** Comma-separated raw fields a login must carry; user_id and timestamp always are. */
  REQUIRED_FIELDS: envList.default([...DEFAULT_LOGIN_RULES.requiredFields]).pipe(z.array(z.enum(LOGIN_FIELDS))),
  /** Canonical spellings; input is matched case-insensitively. */
  SUPPORTED_DEVICE_TYPES: envList.default([...DEFAULT_LOGIN_RULES.supportedDeviceTypes]),
  MIN_APP_VERSION: z.string().trim().regex(VERSION, 'expected a version such as 2.3.0').default(DEFAULT_LOGIN_RULES.minAppVersion),
  MAX_FUTURE_SKEW_MS: envInt(0).default(DEFAULT_LOGIN_RULES.maxFutureSkewMs),
  /** Defaults to CONSUMER_GROUP_ID (see loadGroupNames). */
  TRANSACTIONAL_ID_PREFIX: z.string().trim().min(1).optional(),
  ...stageEnv,
};

export interface ProcessorConfig extends StageSettings {
  readonly rules: LoginRules;
  /** Group of the routing stage (user-login → processed-logins / DLQ). */
  readonly groupId: string;
  /** Group of the summary stage (processed-logins → user-summary). */
  readonly summaryGroupId: string;
  readonly transactionalIdPrefix: string;
}

/** The processor's own settings; the shared ones (brokers, topics) come from loadPipelineConfig. */
export function loadProcessorConfig(env: Env = process.env): ProcessorConfig {
  const e = parseEnv(processorEnv, env);
  const groups = loadGroupNames(env);
  return {
    rules: {
      requiredFields: e.REQUIRED_FIELDS,
      supportedDeviceTypes: e.SUPPORTED_DEVICE_TYPES,
      minAppVersion: e.MIN_APP_VERSION,
      maxFutureSkewMs: e.MAX_FUTURE_SKEW_MS,
    },
    groupId: groups.routing,
    summaryGroupId: groups.summary,
    transactionalIdPrefix: e.TRANSACTIONAL_ID_PREFIX ?? groups.routing,
    ...stageSettingsFrom(e),
  };
}
