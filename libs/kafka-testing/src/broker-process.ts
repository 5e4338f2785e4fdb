import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a broker gets to stop on SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 15_000;

export async function terminate(child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
  });
  if (await Promise.race([exited.then(() => false), timedOut])) child.kill('SIGKILL');
  clearTimeout(timer);
  await exited;
}

export function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** True when `pid` is alive and is the broker whose directory is `dir` (pids get reused). */
export function isBrokerProcess(pid: number, dir: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('ps', ['-ww', '-o', 'args=', '-p', String(pid)], (error, stdout) =>
      resolve(!error && stdout.includes(path.join(dir, 'server.properties'))),
    );
  });
}

/** Stops a broker started by another process (see `npm run kafka:down`) and removes its directory. */
export async function stopBrokerProcess(pid: number, dir: string): Promise<void> {
  if (await isBrokerProcess(pid, dir)) {
    signalIfAlive(pid, 'SIGTERM');
    if (!(await exitedWithin(pid, STOP_GRACE_MS))) {
      signalIfAlive(pid, 'SIGKILL');
      await exitedWithin(pid, STOP_GRACE_MS);
    }
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Not our child, so there is no exit event: poll with a short backoff. */
async function exitedWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let backoff = 20; Date.now() < deadline; backoff = Math.min(backoff * 2, 250)) {
    if (!isRunning(pid)) return true;
    await delay(backoff);
  }
  return false;
}

const HAS_PROCFS = existsSync('/proc/self/stat');

/**
 * Whether `pid` still runs. A zombie (exited, waiting for its parent or init to reap it, which
 * some inits do only every second or so) holds no ports or files, so it counts as gone.
 */
function isRunning(pid: number): boolean {
  if (HAS_PROCFS) {
    try {
      // The state letter follows the parenthesised command name, which may itself contain ") ".
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
