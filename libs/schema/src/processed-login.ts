import { z } from 'zod';

/** A valid, normalized login as written to `processed-logins`. Unknown input fields are kept. */
export const processedLoginSchema = z.looseObject({
  user_id: z.string().min(1),
  app_version: z.string().optional(),
  device_type: z.string().optional(),
  ip: z.string().optional(),
  locale: z.string().optional(),
  device_id: z.string().optional(),
  timestamp: z.union([z.number(), z.string()]),
  event_time: z.iso.datetime(),
  event_time_ms: z.number().int().positive(),
  processed_at: z.iso.datetime(),
});

export type ProcessedLogin = z.infer<typeof processedLoginSchema>;
