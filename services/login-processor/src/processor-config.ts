import { envInt, envList, parseEnv } from '@login-stream/config';
import type { Env } from '@login-stream/config';
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
  CONSUMER_GROUP_ID: z.string().trim().min(1).default('login-processor'),
  /** Defaults to CONSUMER_GROUP_ID. */
  TRANSACTIONAL_ID_PREFIX: z.string().trim().min(1).optional(),
  STATS_INTERVAL_MS: envInt(100).default(10_000),
  /** How long the group waits for a silent instance before giving its partitions away. */
  SESSION_TIMEOUT_MS: envInt(6_000, 300_000).default(30_000),
  /** After this, the broker aborts the open transaction of an instance that died and was not replaced. */
  TRANSACTION_TIMEOUT_MS: envInt(1_000, 900_000).default(60_000),
  /** Input per partition per fetch, and so per transaction: larger batches spread its fixed cost. */
  FETCH_MAX_BYTES_PER_PARTITION: envInt(1_024, 64 * 1024 * 1024).default(4 * 1024 * 1024),
  STATE_RESTORE_TIMEOUT_MS: envInt(1_000).default(120_000),
};

export interface ProcessorConfig {
  readonly rules: LoginRules;
  /** Group of the routing stage (user-login → processed-logins / DLQ). */
  readonly groupId: string;
  /** Group of the summary stage (processed-logins → user-summary). */
  readonly summaryGroupId: string;
  readonly transactionalIdPrefix: string;
  readonly statsIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  readonly stateRestoreTimeoutMs: number;
}

/** The processor's own settings; the shared ones (brokers, topics) come from loadPipelineConfig. */
export function loadProcessorConfig(env: Env = process.env): ProcessorConfig {
  const e = parseEnv(processorEnv, env);
  return {
    rules: {
      requiredFields: e.REQUIRED_FIELDS,
      supportedDeviceTypes: e.SUPPORTED_DEVICE_TYPES,
      minAppVersion: e.MIN_APP_VERSION,
      maxFutureSkewMs: e.MAX_FUTURE_SKEW_MS,
    },
    groupId: e.CONSUMER_GROUP_ID,
    summaryGroupId: `${e.CONSUMER_GROUP_ID}-summary`,
    transactionalIdPrefix: e.TRANSACTIONAL_ID_PREFIX ?? e.CONSUMER_GROUP_ID,
    statsIntervalMs: e.STATS_INTERVAL_MS,
    sessionTimeoutMs: e.SESSION_TIMEOUT_MS,
    transactionTimeoutMs: e.TRANSACTION_TIMEOUT_MS,
    maxBytesPerPartition: e.FETCH_MAX_BYTES_PER_PARTITION,
    stateRestoreTimeoutMs: e.STATE_RESTORE_TIMEOUT_MS,
  };
}
