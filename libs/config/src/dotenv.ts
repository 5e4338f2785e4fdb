import { config } from 'dotenv';

/**
 * Loads a local `.env` into process.env for development. Variables already set win, so the
 * real environment (containers, CI) is never overridden by a stray file.
 */
export function loadDotEnv(path?: string): void {
  config({ ...(path !== undefined && { path }), override: false, quiet: true });
}
