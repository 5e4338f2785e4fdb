import { z } from 'zod';

/** `true/false/1/0/yes/no`, case-insensitive. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envInt = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(min).max(max);

/** A comma-separated list with blanks dropped. */
export const envList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
  .pipe(z.array(z.string()).min(1, 'expected a comma-separated list with at least one entry'));

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export const envTopic = z.string().trim().regex(TOPIC_NAME, 'expected a Kafka topic name ([a-zA-Z0-9._-], up to 249 chars)');
