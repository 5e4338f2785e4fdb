import { randomInt } from 'node:crypto';
import { parseEventTime } from '@login-stream/schema';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { OutputConfiguration } from 'commander';
import type { GenerateSettings } from './generate/generated-messages';
import type { FieldMapping } from './replay/field-mapping';
import { parseFieldMappings } from './replay/field-mapping';

interface CommonOptions {
  /** TOPIC_USER_LOGIN unless given on the command line. */
  readonly topic: string;
  /** Events per second; Infinity for "max". */
  readonly rate: number;
  readonly batchSize: number;
  /** Continue an interrupted run of the same command (transactions, progress kept in Kafka). */
  readonly resume: boolean;
}

export type GenerateOptions = CommonOptions & GenerateSettings;

export interface ReplayOptions extends CommonOptions {
  readonly file: string;
  readonly mappings: readonly FieldMapping[];
}

export type CliCommand =
  | { readonly command: 'generate'; readonly options: GenerateOptions }
  | { readonly command: 'replay'; readonly options: ReplayOptions };

/** Commander's output and exit, replaceable in tests. */
export interface CliIo {
  readonly output?: OutputConfiguration;
  /** Throw a CommanderError instead of exiting (after --help, or on a bad option). */
  readonly exitOverride?: boolean;
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.05');
  return n;
}

function rate(value: string): number {
  if (value.trim().toLowerCase() === 'max') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected events per second (> 0) or "max"');
  return n;
}

function startTime(value: string): number {
  const parsed = parseEventTime(value, Date.now(), Number.POSITIVE_INFINITY);
  if (!parsed.ok) throw new InvalidArgumentError('expected ISO-8601 (2024-05-01T12:00:00Z) or epoch seconds or milliseconds');
  return parsed.ms;
}

function topicName(value: string): string {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(value)) throw new InvalidArgumentError('expected a Kafka topic name ([a-zA-Z0-9._-], up to 249 chars)');
  return value;
}

function mappings(value: string, previous: readonly FieldMapping[]): FieldMapping[] {
  try {
    return [...previous, ...parseFieldMappings(value)];
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}; expected target=source, e.g. user_id=uid`);
  }
}

function commonOptions(command: Command, defaultRate: string): Command {
  return command
    .addOption(new Option('--topic <name>', 'topic to produce to').env('TOPIC_USER_LOGIN').argParser(topicName).default('user-login'))
    .addOption(
      new Option('--rate <events/s|max>', 'events per second, or "max" for as fast as the broker takes them')
        .env('PRODUCER_RATE')
        .argParser(rate)
        .default(rate(defaultRate), defaultRate),
    )
    .addOption(
      new Option('--batch-size <messages>', 'messages per send (sends also stay under ~900 kB)')
        .env('PRODUCER_BATCH_SIZE')
        .argParser(wholeNumber(1, 100_000))
        .default(2_000),
    )
    .addOption(
      new Option(
        '--resume',
        'send each batch in a Kafka transaction with the run’s progress, so running the same command again after a crash continues where the last committed batch ended: every event exactly once (read_committed)',
      )
        .env('PRODUCER_RESUME')
        .default(false),
    );
}

const ENVIRONMENT_HELP = `
Kafka connection and topics come from the environment shared by all services (a .env file
is read too): KAFKA_BROKERS (host:port list), KAFKA_CLIENT_ID, KAFKA_SSL, KAFKA_SSL_CA_FILE,
KAFKA_SASL_MECHANISM/USERNAME/PASSWORD, KAFKA_CONNECTION_TIMEOUT_MS, KAFKA_REQUEST_TIMEOUT_MS,
TOPIC_USER_LOGIN, TOPIC_PARTITIONS and TOPIC_REPLICATION_FACTOR (used when the topic has to be
created), LOG_LEVEL. Logs are NDJSON on stdout; on a terminal a live progress line goes to stderr.
Exit code 0 after a completed or interrupted (SIGINT/SIGTERM) run, non-zero on any failure.`;

/** Parses the command line (and the PRODUCER_* variables commander reads for each option). */
export function parseCli(argv: readonly string[], io: CliIo = {}): CliCommand {
  let parsed: CliCommand | undefined;
  const program = new Command('producer')
    .description('Sends user-login events to Kafka: synthetic traffic, or a replay of a file.')
    .addHelpText('after', ENVIRONMENT_HELP)
    .showHelpAfterError()
    .allowExcessArguments(false);
  if (io.output !== undefined) program.configureOutput(io.output);
  if (io.exitOverride === true) program.exitOverride();

  commonOptions(program.command('generate'), '1000')
    .description('realistic synthetic logins: skewed user activity, late events and a share of bad events')
    .addOption(new Option('--count <n>', 'stop after n events (default: run until stopped)').env('PRODUCER_COUNT').argParser(wholeNumber(0, Number.MAX_SAFE_INTEGER)))
    .addOption(new Option('--seed <n>', 'same seed (and --start) → same events (default: random, logged)').env('PRODUCER_SEED').argParser(wholeNumber(0, 2 ** 32 - 1)))
    .addOption(new Option('--users <n>', 'size of the user population').env('PRODUCER_USERS').argParser(wholeNumber(1, 10_000_000)).default(10_000))
    .addOption(new Option('--bad-share <0..1>', 'share of bad events (missing fields, bad timestamp, IP, version, device, not JSON)').env('PRODUCER_BAD_SHARE').argParser(share).default(0.05))
    .addOption(new Option('--late-share <0..1>', 'share of events that arrive late and out of order').env('PRODUCER_LATE_SHARE').argParser(share).default(0.02))
    .addOption(new Option('--max-lateness <seconds>', 'how late a late event can be').env('PRODUCER_MAX_LATENESS_S').argParser(wholeNumber(1, 7 * 24 * 3600)).default(600))
    .addOption(
      new Option(
        '--start <time>',
        'event time of the first event (ISO-8601 or epoch s/ms); time then advances 1/rate s per event (1 ms at --rate max), making runs reproducible (default: the wall clock)',
      )
        .env('PRODUCER_START')
        .argParser(startTime),
    )
    .action((options: Record<string, unknown>, command: Command) => {
      // A resumed run regenerates what it skips, so it must be the same sequence: seed and start fixed.
      if ((options['resume'] === true || options['resume'] === 'true') && (options['seed'] === undefined || options['start'] === undefined)) {
        command.error('error: generate --resume needs --seed and --start, so a re-run regenerates the same events to continue from');
      }
      parsed = {
        command: 'generate',
        options: {
          topic: options['topic'] as string,
          rate: options['rate'] as number,
          batchSize: options['batchSize'] as number,
          resume: options['resume'] === true || options['resume'] === 'true',
          count: options['count'] as number | undefined,
          seed: (options['seed'] as number | undefined) ?? randomInt(2 ** 32 - 1),
          users: options['users'] as number,
          badShare: options['badShare'] as number,
          lateShare: options['lateShare'] as number,
          maxLatenessMs: (options['maxLateness'] as number) * 1000,
          startMs: options['start'] as number | undefined,
        },
      };
    });

  commonOptions(program.command('replay'), 'max')
    .description('stream a JSON Lines or JSON array file, plain or gzip, of any size; lines that are not JSON are sent and counted')
    .argument('<file>', 'input file (.jsonl, .json, optionally gzip-compressed)')
    .addOption(
      new Option('--map <target=source>', 'rename an input field, e.g. --map user_id=uid --map timestamp=ts (env: comma-separated)')
        .env('PRODUCER_MAP')
        .argParser(mappings)
        .default([]),
    )
    .action((file: string, options: Record<string, unknown>) => {
      parsed = {
        command: 'replay',
        options: {
          file,
          topic: options['topic'] as string,
          rate: options['rate'] as number,
          batchSize: options['batchSize'] as number,
          resume: options['resume'] === true || options['resume'] === 'true',
          mappings: options['map'] as FieldMapping[],
        },
      };
    });

  program.parse(argv, { from: 'user' });
  if (parsed === undefined) {
    // No subcommand: commander has already printed help and exited unless exitOverride is on.
    program.help({ error: true });
  }
  return parsed as CliCommand;
}
