import path from 'node:path';
import { buildPackage, ServiceChild } from '@login-stream/kafka-testing';

export type { LogLine } from '@login-stream/kafka-testing';

const SERVICE_DIR = path.resolve(__dirname, '../..');

export function buildProducer(): void {
  buildPackage(SERVICE_DIR);
}

/** `node dist/main.js <args>` of the producer, logging at info. */
export class ProducerChild extends ServiceChild {
  constructor(args: readonly string[], env: Readonly<Record<string, string>>) {
    super('producer', path.join(SERVICE_DIR, 'dist/main.js'), args, { LOG_LEVEL: 'info', ...env });
  }
}
