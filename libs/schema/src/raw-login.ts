import { z } from 'zod';

/** The fields of the reference login generator, in the order it writes them. */
export const LOGIN_FIELDS = ['user_id', 'app_version', 'device_type', 'ip', 'locale', 'device_id', 'timestamp'] as const;

export type LoginField = (typeof LOGIN_FIELDS)[number];

/**
 * A login as it may arrive on `user-login`: any field can be missing, `timestamp` comes as a
 * number or a numeric string, and unknown fields are kept. This describes the wire shape;
 * the rules that decide validity live in `login-validation.ts`.
 */
export const rawLoginSchema = z.looseObject({
  user_id: z.string().optional(),
  app_version: z.string().optional(),
  device_type: z.string().optional(),
  ip: z.string().optional(),
  locale: z.string().optional(),
  device_id: z.string().optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
});

export type RawLogin = z.infer<typeof rawLoginSchema>;
