import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isBrokerProcess, stopBrokerProcess } from '../broker-process';
import { startLocalBroker } from '../local-broker';
import { isPortFree } from '../ports';

/** The repo's gitignored scratch directory (src/cli and dist/cli sit at the same depth). */
export const LOCAL_DIR = path.resolve(__dirname, '../../../../.kafka-local');
export const STATE_FILE = path.join(LOCAL_DIR, 'state.json');
const DEFAULT_PORT = 9092;

/** What `kafka:up` records so `kafka:down` (or a second `kafka:up`) can find the broker. */
export interface LocalBrokerState {
  pid: number;
  dir: string;
  bootstrapServers: string;
  startedAt: string;
}

export interface KafkaUpResult {
  state: LocalBrokerState;
  alreadyRunning: boolean;
  startupMs: number;
}

export async function readLocalBrokerState(): Promise<LocalBrokerState | undefined> {
  try {
    return JSON.parse(await readFile(STATE_FILE, 'utf8')) as LocalBrokerState;
  } catch {
    return undefined;
  }
}

/** Starts the detached local broker unless the one recorded in the state file still runs. */
export async function kafkaUp(env: NodeJS.ProcessEnv = process.env): Promise<KafkaUpResult> {
  const existing = await readLocalBrokerState();
  if (existing && (await isBrokerProcess(existing.pid, existing.dir))) {
    return { state: existing, alreadyRunning: true, startupMs: 0 };
  }
  if (existing) await stopBrokerProcess(existing.pid, existing.dir); // stale: just removes its data

  const startedAt = performance.now();
  await mkdir(LOCAL_DIR, { recursive: true });
  const broker = await startLocalBroker({ port: await choosePort(env.KAFKA_LOCAL_PORT), parentDir: LOCAL_DIR, detached: true });
  const state: LocalBrokerState = {
    pid: broker.pid,
    dir: broker.dir,
    bootstrapServers: broker.bootstrapServers,
    startedAt: new Date().toISOString(),
  };
  await writeFile(`${STATE_FILE}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${STATE_FILE}.tmp`, STATE_FILE);
  return { state, alreadyRunning: false, startupMs: Math.round(performance.now() - startedAt) };
}

/** KAFKA_LOCAL_PORT if given; else Kafka's usual 9092 when free; else any free port. */
async function choosePort(requested: string | undefined): Promise<number | undefined> {
  if (requested) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`KAFKA_LOCAL_PORT is not a port: ${requested}`);
    if (!(await isPortFree(port))) throw new Error(`KAFKA_LOCAL_PORT ${port} is already in use on 127.0.0.1`);
    return port;
  }
  return (await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : undefined;
}

async function main(): Promise<void> {
  const { state, alreadyRunning, startupMs } = await kafkaUp();
  const status = alreadyRunning ? 'already running' : `started in ${startupMs} ms`;
  process.stdout.write(
    [
      `Local Kafka broker (Apache Kafka 3.9, KRaft) ${status} at ${state.bootstrapServers} (pid ${state.pid}).`,
      `Data and logs: ${path.relative(process.cwd(), state.dir) || state.dir}`,
      'Point clients and tests at it with:',
      `  export KAFKA_BROKERS=${state.bootstrapServers}`,
      'Stop it and delete its data with: npm run kafka:down',
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`kafka:up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
