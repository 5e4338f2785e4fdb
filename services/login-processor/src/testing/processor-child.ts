import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPackage, ServiceChild } from '@login-stream/kafka-testing';

export type { LogLine } from '@login-stream/kafka-testing';

const SERVICE_DIR = path.resolve(__dirname, '../..');

/**
 * The node flags of `npm start` (`exec node <flags> dist/main.js` in package.json), the one place
 * they are written, so tests and the bench run the processor as users do.
 */
export function startScriptNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(SERVICE_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.trim().split(/\s+/);
  const node = words.indexOf('node');
  const script = words.indexOf('dist/main.js');
  if (node < 0 || script < node) throw new Error(`package.json start is not "[exec] node [flags] dist/main.js": ${scripts.start}`);
  return words.slice(node + 1, script);
}

export function buildProcessor(): void {
  buildPackage(SERVICE_DIR);
}

/** The processor as `npm start` runs it: `node <flags> dist/main.js`. */
export class ProcessorChild extends ServiceChild {
  constructor(env: Readonly<Record<string, string>>) {
    super('processor', path.join(SERVICE_DIR, 'dist/main.js'), [], env, startScriptNodeFlags());
  }

  /** Both stages have fenced former owners and restored their state: input is being processed. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    await Promise.all(
      ['routing', 'summary'].map((stage) =>
        this.waitForLog((l) => l.msg === 'partitions ready' && l['stage'] === stage, `${stage} stage ready`, timeoutMs),
      ),
    );
  }
}
