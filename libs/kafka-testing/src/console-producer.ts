import { spawn } from 'node:child_process';
import { resolveBrokerClasspath } from './classpath';
import { javaBin } from './java';

export type ConsoleProducerCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ConsoleProducerOptions {
  readonly bootstrapServers: string;
  readonly topic: string;
  /** One record value per line, sent in order. */
  readonly lines: readonly string[];
  readonly compression: ConsoleProducerCodec;
  readonly timeoutMs?: number;
}

/**
 * Sends lines with Kafka's own console producer (the Java client, from the jars the test broker
 * runs on): what any Java or librdkafka client writes, compressed batches included, rather than
 * what kafkajs writes. Lines are batched (up to 100 ms of linger), so a few hundred of them share
 * a compressed record batch.
 */
export async function runConsoleProducer(options: ConsoleProducerOptions): Promise<void> {
  const classpath = await resolveBrokerClasspath();
  const args = [
    '-Xmx256m',
    '-XX:TieredStopAtLevel=1',
    '-cp',
    classpath,
    'kafka.tools.ConsoleProducer',
    '--bootstrap-server',
    options.bootstrapServers,
    '--topic',
    options.topic,
    '--compression-codec',
    options.compression,
    '--producer-property',
    'linger.ms=100',
    '--producer-property',
    'acks=all',
  ];
  const child = spawn(javaBin(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    child.stdin.end(`${options.lines.join('\n')}\n`);
    const code = await exited;
    if (code !== 0) throw new Error(`kafka.tools.ConsoleProducer exited with ${code} (killed after ${timeoutMs} ms if null):\n${stderr.slice(-2000)}`);
  } finally {
    clearTimeout(timer);
  }
}
