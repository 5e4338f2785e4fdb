import { rm, rmdir } from 'node:fs/promises';
import { stopBrokerProcess } from '../broker-process';
import { LOCAL_DIR, STATE_FILE, readLocalBrokerState, type LocalBrokerState } from './kafka-up';

/** Stops the broker `kafka:up` started and deletes its data; resolves with what was stopped. */
export async function kafkaDown(): Promise<LocalBrokerState | undefined> {
  const state = await readLocalBrokerState();
  if (state) await stopBrokerProcess(state.pid, state.dir);
  await rm(STATE_FILE, { force: true });
  await rmdir(LOCAL_DIR).catch(() => undefined); // only succeeds when nothing else lives there
  return state;
}

async function main(): Promise<void> {
  const stopped = await kafkaDown();
  process.stdout.write(
    stopped
      ? `Stopped the local Kafka broker at ${stopped.bootstrapServers} (pid ${stopped.pid}) and deleted its data.\n`
      : 'No local Kafka broker was running.\n',
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`kafka:down failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
