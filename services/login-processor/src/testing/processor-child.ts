import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { withTimeout } from '@login-stream/kafka-testing';

const SERVICE_DIR = path.resolve(__dirname, '../..');
const MAIN = path.join(SERVICE_DIR, 'dist/main.js');

/** Compiles the service (and the libs it references) so children run the current code. */
export function buildProcessor(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', SERVICE_DIR], { stdio: 'inherit' });
}

export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** `node dist/main.js` as a child process, its NDJSON log parsed line by line. */
export class ProcessorChild {
  readonly lines: LogLine[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  constructor(env: Readonly<Record<string, string>>) {
    this.child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) if (part.trim() !== '') this.lines.push(JSON.parse(part) as LogLine);
      for (const listener of this.listeners) listener();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk));
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
        else if (this.child.exitCode !== null) reject(new Error(`processor exited (${this.child.exitCode}) before logging ${description}`));
      };
      this.listeners.add(listener);
      listener();
    });
    return withTimeout(found, { timeoutMs, description }).finally(() => {
      if (listener !== undefined) this.listeners.delete(listener);
    });
  }

  /** Both stages have fenced former owners and restored their state: input is being processed. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    await Promise.all(
      ['routing', 'summary'].map((stage) =>
        this.waitForLog((l) => l.msg === 'partitions ready' && l['stage'] === stage, `${stage} stage ready`, timeoutMs),
      ),
    );
  }

  /** Sends the signal and resolves with the exit code once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
