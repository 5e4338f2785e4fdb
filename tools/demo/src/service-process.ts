import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Sends `signal`, then SIGKILL if it is still running after `graceMs`. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<number | string>;
}

/** Runs a compiled service with its NDJSON logs appended to `logFile`, out of the live view's way. */
export function startService(name: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string): ServiceProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    name,
    pid: child.pid,
    exited,
    async stop(signal, graceMs) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
