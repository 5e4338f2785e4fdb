import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { withTimeout } from './wait-for';

export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** Compiles a workspace package (and the libs it references) so children run the current code. */
export function buildPackage(dir: string): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', dir], { stdio: 'inherit' });
}

/**
 * A compiled service (`node <flags> <script> <args>`) as a child process, its NDJSON stdout parsed
 * line by line so tests can wait for what it logs; stderr passes through.
 */
export class ServiceChild {
  readonly lines: LogLine[] = [];
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly name: string,
    script: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    /** Flags for node itself, as the service's start script passes them. */
    nodeFlags: readonly string[] = [],
  ) {
    // Children run side by side: none serves HTTP (its default port would clash) unless `env` gives it a port.
    this.child = spawn(process.execPath, [...nodeFlags, script, ...args], { env: { ...process.env, HTTP_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) if (part.trim() !== '') this.lines.push(JSON.parse(part) as LogLine);
      for (const listener of this.listeners) listener();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk));
    // Waiters learn at once that nothing more will be logged.
    this.child.once('exit', () => {
      for (const listener of this.listeners) listener();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first log line (already seen or to come) that matches. */
  waitForLog(matches: (line: LogLine) => boolean, description: string, timeoutMs = 60_000): Promise<LogLine> {
    let listener: (() => void) | undefined;
    const found = new Promise<LogLine>((resolve, reject) => {
      listener = () => {
        const hit = this.lines.find(matches);
        if (hit !== undefined) resolve(hit);
        else if (this.child.exitCode !== null) {
          // Its last lines say why (a fatal line names the error); without them the failure is mute.
          reject(new Error(`${this.name} exited (${this.child.exitCode}) before logging ${description}; its last log lines: ${JSON.stringify(this.lines.slice(-3))}`));
        }
      };
      this.listeners.add(listener);
      listener();
    });
    return withTimeout(found, { timeoutMs, description }).finally(() => {
      if (listener !== undefined) this.listeners.delete(listener);
    });
  }

  /** The exit code, failing the test if the process takes longer than `timeoutMs`. */
  exitCode(timeoutMs = 60_000): Promise<number | null> {
    return withTimeout(this.exited, { timeoutMs, description: `${this.name} to exit` });
  }

  /** Sends the signal (if still running) and resolves with the exit code. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
