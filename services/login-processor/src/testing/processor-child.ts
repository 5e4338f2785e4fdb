import path from 'node:path';
import { buildPackage, ServiceChild, startScriptNodeFlags } from '@login-stream/kafka-testing';

export type { LogLine } from '@login-stream/kafka-testing';

const SERVICE_DIR = path.resolve(__dirname, '../..');

export function buildProcessor(): void {
  buildPackage(SERVICE_DIR);
}

/** The processor as `npm start` runs it: `node <flags> dist/main.js`. */
export class ProcessorChild extends ServiceChild {
  constructor(env: Readonly<Record<string, string>>) {
    super('processor', path.join(SERVICE_DIR, 'dist/main.js'), [], env, startScriptNodeFlags(SERVICE_DIR));
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
