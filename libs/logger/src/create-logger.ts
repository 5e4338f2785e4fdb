import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level?: LevelWithSilent;
  /** Where NDJSON goes: a file descriptor (1 = stdout, the default; 2 = stderr) or a stream a test captures. */
  readonly destination?: pino.DestinationStream | 1 | 2;
}

/** NDJSON to stdout, `err` serialized with its code and cause, one `service` field on every line. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.errWithCause },
      formatters: { level: (label) => ({ level: label }) },
    },
    typeof options.destination === 'object' ? options.destination : pino.destination({ dest: options.destination ?? 1, sync: false }),
  );
}
