import { envInt, envList, fetchMaxBytesPerPartition, loadGroupNames, parseEnv, stageEnv, stageSettingsFrom } from '@login-stream/config';
import type { Env, StageSettings } from '@login-stream/config';
import { z } from 'zod';
import { parseWindowSize } from './windows/window-size';
import type { WindowSize } from './windows/window-size';

const windowSizes = envList.transform((labels, ctx) => {
  const sizes: WindowSize[] = [];
  for (const label of labels) {
    const size = parseWindowSize(label);
    if (size === undefined) ctx.addIssue({ code: 'custom', message: `"${label}" is not a window size: expected <n>s, <n>m or <n>h` });
    else if (sizes.some((s) => s.ms === size.ms)) ctx.addIssue({ code: 'custom', message: `window size ${label} is listed twice` });
    else sizes.push(size);
  }
  return sizes;
});

const insightsEnv = {
  /** Tumbling event-time windows, UTC-aligned: `<n>s`, `<n>m` or `<n>h`, comma-separated. */
  INSIGHTS_WINDOWS: z.string().default('1m,1h').pipe(windowSizes),
  /** A window closes on a partition once its stream time reaches the window's end plus this. */
  INSIGHTS_GRACE_MS: envInt(0, 24 * 3_600_000).default(5_000),
  /** A caught-up partition that received nothing for this long is idle and releases due windows. */
  INSIGHTS_IDLE_MS: envInt(100, 24 * 3_600_000).default(10_000),
  ...stageEnv,
  // Smaller than the processor's 4 MiB: every record of a fetch is decoded at once and lives until
  // the whole fetch is processed and committed, so big fetches outlive the young generation and
  // fill the old one (and keep their Buffers) until a major GC. Larger than 512 KiB: every fetch
  // costs each partition a transaction, and with half as many the broker and kafkajs leave more
  // of the shared cores to windowing, at about the same peak RSS (services/insights/README.md, Benchmark).
  FETCH_MAX_BYTES_PER_PARTITION: fetchMaxBytesPerPartition(1024 * 1024),
};

export interface InsightsConfig extends StageSettings {
  readonly sizes: readonly WindowSize[];
  readonly graceMs: number;
  readonly idleMs: number;
  /** Group of the windowing stage (processed-logins → partials, late). */
  readonly groupId: string;
  /** Group of the merge stage (partials → login-insights, late). */
  readonly mergeGroupId: string;
  readonly partialsTopic: string;
}

/** The insights service's own settings; the shared ones (brokers, topics) come from loadPipelineConfig. */
export function loadInsightsConfig(env: Env = process.env): InsightsConfig {
  const e = parseEnv(insightsEnv, env);
  const groups = loadGroupNames(env);
  return Object.freeze({
    sizes: e.INSIGHTS_WINDOWS,
    graceMs: e.INSIGHTS_GRACE_MS,
    idleMs: e.INSIGHTS_IDLE_MS,
    groupId: groups.windowing,
    mergeGroupId: groups.merge,
    partialsTopic: groups.partialsTopic,
    ...stageSettingsFrom(e),
  });
}
