import { z } from 'zod';

/**
 * First and last event time seen for a user, as written (compacted, keyed by user_id) to
 * `user-summary`. Times are ISO-8601 UTC; the `_ms` twins make comparisons exact.
 */
export const userSummarySchema = z.object({
  user_id: z.string().min(1),
  first_seen: z.iso.datetime(),
  last_seen: z.iso.datetime(),
  first_seen_ms: z.number().int().positive(),
  last_seen_ms: z.number().int().positive(),
});

export type UserSummary = z.infer<typeof userSummarySchema>;
