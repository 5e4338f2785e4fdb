import { envInt } from './env-types';
import type { parseEnv } from './parse-env';

/**
 * Input per partition per fetch, and so per transaction: larger batches spread its fixed cost,
 * smaller ones hold fewer decoded records at once. Each service picks its default.
 */
export const fetchMaxBytesPerPartition = (defaultBytes: number) => envInt(1_024, 64 * 1024 * 1024).default(defaultBytes);

/**
 * The variables of every service that runs exactly-once stages, one definition: spread into a
 * service's own shape for `parseEnv`, then read with `stageSettingsFrom`.
 */
export const stageEnv = {
  STATS_INTERVAL_MS: envInt(100).default(10_000),
  /** How long the group waits for a silent instance before giving its partitions away. */
  SESSION_TIMEOUT_MS: envInt(6_000, 300_000).default(30_000),
  /** After this, the broker aborts the open transaction of an instance that died and was not replaced. */
  TRANSACTION_TIMEOUT_MS: envInt(1_000, 900_000).default(60_000),
  FETCH_MAX_BYTES_PER_PARTITION: fetchMaxBytesPerPartition(4 * 1024 * 1024),
  STATE_RESTORE_TIMEOUT_MS: envInt(1_000).default(120_000),
};

export interface StageSettings {
  readonly statsIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  readonly stateRestoreTimeoutMs: number;
}

type StageEnv = ReturnType<typeof parseEnv<typeof stageEnv>>;

export function stageSettingsFrom(e: StageEnv): StageSettings {
  return {
    statsIntervalMs: e.STATS_INTERVAL_MS,
    sessionTimeoutMs: e.SESSION_TIMEOUT_MS,
    transactionTimeoutMs: e.TRANSACTION_TIMEOUT_MS,
    maxBytesPerPartition: e.FETCH_MAX_BYTES_PER_PARTITION,
    stateRestoreTimeoutMs: e.STATE_RESTORE_TIMEOUT_MS,
  };
}
