import { CommanderError } from 'commander';
import { parseCli } from './cli';

const ENV_VARS = ['PRODUCER_RATE', 'PRODUCER_COUNT', 'PRODUCER_SEED', 'PRODUCER_BAD_SHARE', 'PRODUCER_MAP', 'TOPIC_USER_LOGIN', 'PRODUCER_START'];

function parse(args: string[]) {
  let errors = '';
  try {
    return { cli: parseCli(args, { exitOverride: true, output: { writeOut: () => undefined, writeErr: (s) => (errors += s) } }), errors };
  } catch (err) {
    if (err instanceof CommanderError) return { cli: undefined, errors, exitCode: err.exitCode };
    throw err;
  }
}

describe('command line', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ENV_VARS) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('when generate has no options, then the documented defaults apply and a seed is chosen', () => {
    const { cli } = parse(['generate']);
    expect(cli?.command).toBe('generate');
    expect(cli?.options).toMatchObject({ topic: 'user-login', rate: 1000, batchSize: 2000, users: 10_000, badShare: 0.05, lateShare: 0.02, maxLatenessMs: 600_000 });
    expect(cli?.options).not.toHaveProperty('count', expect.anything());
    expect(cli?.command === 'generate' && Number.isInteger(cli.options.seed)).toBe(true);
  });

  it('when generate gets options, then they are parsed', () => {
    const { cli } = parse(['generate', '--rate', 'max', '--count', '500', '--seed', '7', '--bad-share', '0.2', '--start', '2024-05-01T12:00:00Z', '--topic', 'logins.test']);
    expect(cli?.options).toMatchObject({ rate: Infinity, count: 500, seed: 7, badShare: 0.2, startMs: Date.parse('2024-05-01T12:00:00Z'), topic: 'logins.test' });
  });

  it('when --resume is given, then the run is resumable; without it, it is not', () => {
    expect(parse(['generate', '--resume', '--seed', '1', '--start', '2024-05-01T12:00:00Z']).cli?.options.resume).toBe(true);
    expect(parse(['replay', 'logins.jsonl', '--resume']).cli?.options.resume).toBe(true);
    expect(parse(['generate']).cli?.options.resume).toBe(false);
  });

  it('when generate --resume lacks --seed or --start, then it is refused, naming both (a re-run must regenerate the same events)', () => {
    for (const args of [['generate', '--resume'], ['generate', '--resume', '--seed', '1'], ['generate', '--resume', '--start', '2024-05-01T12:00:00Z']]) {
      const { cli, errors, exitCode } = parse(args);
      expect(cli).toBeUndefined();
      expect(exitCode).toBe(1);
      expect(errors).toMatch(/--resume needs --seed and --start/);
    }
  });

  it('when --start is epoch seconds, then it is read as seconds', () => {
    expect(parse(['generate', '--start', '1714564800']).cli?.options).toMatchObject({ startMs: 1714564800_000 });
  });

  it('when options come from the environment, then they apply and the command line still wins', () => {
    process.env['PRODUCER_RATE'] = '250';
    process.env['PRODUCER_SEED'] = '9';
    process.env['TOPIC_USER_LOGIN'] = 'from-env';
    expect(parse(['generate']).cli?.options).toMatchObject({ rate: 250, seed: 9, topic: 'from-env' });
    expect(parse(['generate', '--rate', '10']).cli?.options).toMatchObject({ rate: 10 });
  });

  it('when replay gets a file and mappings, then they are parsed; the default rate is max', () => {
    const { cli } = parse(['replay', 'in.jsonl.gz', '--map', 'user_id=uid', '--map', 'timestamp=ts']);
    expect(cli).toEqual({
      command: 'replay',
      options: {
        file: 'in.jsonl.gz',
        topic: 'user-login',
        rate: Infinity,
        batchSize: 2000,
        resume: false,
        mappings: [
          { target: 'user_id', source: 'uid' },
          { target: 'timestamp', source: 'ts' },
        ],
      },
    });
  });

  it('when PRODUCER_MAP is set, then its comma-separated mappings apply', () => {
    process.env['PRODUCER_MAP'] = 'user_id=uid,timestamp=ts';
    expect(parse(['replay', 'x.json']).cli?.options).toMatchObject({ mappings: [{ target: 'user_id', source: 'uid' }, { target: 'timestamp', source: 'ts' }] });
  });

  it.each([
    [['generate', '--rate', 'fast'], /--rate/],
    [['generate', '--rate', '0'], /--rate/],
    [['generate', '--bad-share', '1.5'], /--bad-share/],
    [['generate', '--count', '-1'], /--count/],
    [['generate', '--start', 'soon'], /--start/],
    [['generate', '--topic', 'bad topic'], /--topic/],
    [['replay', 'x.jsonl', '--map', 'uid'], /target=source/],
    [['replay'], /missing required argument 'file'/],
    [['teleport'], /unknown command/],
  ])('when the command line is %p, then it fails naming the problem', (args, problem) => {
    const { cli, errors, exitCode } = parse(args);
    expect(cli).toBeUndefined();
    expect(exitCode).toBe(1);
    expect(errors).toMatch(problem);
  });

  it('when an environment variable is invalid, then the error names the variable', () => {
    process.env['PRODUCER_BAD_SHARE'] = 'lots';
    const { errors, exitCode } = parse(['generate']);
    expect(exitCode).toBe(1);
    expect(errors).toMatch(/PRODUCER_BAD_SHARE/);
    expect(errors).toMatch(/lots/);
  });

  it('when --help is asked for, then every option is listed with its environment variable', () => {
    let help = '';
    expect(() => parseCli(['generate', '--help'], { exitOverride: true, output: { writeOut: (s) => (help += s), writeErr: () => undefined } })).toThrow(CommanderError);
    for (const name of ['PRODUCER_RATE', 'PRODUCER_COUNT', 'PRODUCER_SEED', 'PRODUCER_BAD_SHARE', 'PRODUCER_USERS', 'PRODUCER_START', 'TOPIC_USER_LOGIN']) {
      expect(help).toContain(name);
    }
  });
});
