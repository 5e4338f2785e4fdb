import { z } from 'zod';
import { envTopic } from './env-types';
import { parseEnv } from './parse-env';
import type { Env } from './parse-env';

/**
 * The consumer groups (and the internal topic) of the exactly-once stages, declared once: the
 * services run under them, and the reconciliation check reads their committed offsets.
 */
const groupEnv = {
  /** The login processor's routing stage; its summary stage is `<id>-summary`. */
  CONSUMER_GROUP_ID: z.string().trim().min(1).default('login-processor'),
  /** The insights windowing stage; its merge stage is `<id>-merge`. */
  INSIGHTS_GROUP_ID: z.string().trim().min(1).default('login-insights'),
  /** The internal topic of partials and progress marks; defaults to `<INSIGHTS_GROUP_ID>-partials`. */
  INSIGHTS_PARTIALS_TOPIC: envTopic.optional(),
};

export interface GroupNames {
  /** Group of the routing stage (user-login → processed-logins / DLQ). */
  readonly routing: string;
  /** Group of the summary stage (processed-logins → user-summary). */
  readonly summary: string;
  /** Group of the windowing stage (processed-logins → partials, late). */
  readonly windowing: string;
  /** Group of the merge stage (partials → login-insights, late). */
  readonly merge: string;
  readonly partialsTopic: string;
}

export function loadGroupNames(env: Env = process.env): GroupNames {
  const e = parseEnv(groupEnv, env);
  return Object.freeze({
    routing: e.CONSUMER_GROUP_ID,
    summary: `${e.CONSUMER_GROUP_ID}-summary`,
    windowing: e.INSIGHTS_GROUP_ID,
    merge: `${e.INSIGHTS_GROUP_ID}-merge`,
    partialsTopic: e.INSIGHTS_PARTIALS_TOPIC ?? `${e.INSIGHTS_GROUP_ID}-partials`,
  });
}
