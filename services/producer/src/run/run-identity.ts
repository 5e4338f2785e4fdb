import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { LoginStreamError } from '@login-stream/errors';
import type { CliCommand } from '../cli';

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    throw new LoginStreamError('INPUT_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, { cause: err, details: { path: file } });
  }
}

/**
 * The identity of a resumable run: what determines the exact sequence it sends, and nothing
 * else (not the batch size). The same command run again is the same run; its transactional id
 * and its progress in Kafka are named after this. A replayed file is known by its absolute path
 * and size, so a file that grew or shrank starts a run of its own.
 */
export function runIdentity(cli: CliCommand): string {
  const { options } = cli;
  const what =
    cli.command === 'generate'
      ? {
          command: 'generate',
          topic: options.topic,
          seed: cli.options.seed,
          startMs: cli.options.startMs,
          count: cli.options.count,
          users: cli.options.users,
          badShare: cli.options.badShare,
          lateShare: cli.options.lateShare,
          maxLatenessMs: cli.options.maxLatenessMs,
          // Simulated time advances 1/rate s per event, so the rate shapes the events too.
          rate: Number.isFinite(options.rate) ? options.rate : 'max',
        }
      : {
          command: 'replay',
          topic: options.topic,
          file: path.resolve(cli.options.file),
          bytes: sizeOf(cli.options.file),
          mappings: cli.options.mappings,
        };
  return `login-stream-producer-${createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 20)}`;
}
