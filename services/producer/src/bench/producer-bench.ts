/**
 * `npm run bench` (a benchmark, not a test): the producer's throughput and memory as a user
 * runs it, i.e. `node dist/main.js` as a child process against a real broker.
 *  1. generate at --rate max for a fixed count → events/s;
 *  2. replay of generated JSON Lines files of two sizes → peak RSS (VmHWM) and events/s, to
 *     show memory does not grow with the file.
 * Uses KAFKA_BROKERS when set, else starts a local broker. BENCH_GENERATE_COUNT and
 * BENCH_REPLAY_MB (comma-separated sizes) scale it.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { peakRssMb, startBroker, uniqueName } from '@login-stream/kafka-testing';
import { Kafka, logLevel } from 'kafkajs';
import { generatedMessages } from '../generate/generated-messages';

const MAIN = path.resolve(__dirname, '../main.js');
const MB = 1024 * 1024;

interface ChildRun {
  readonly summary: Record<string, number>;
  readonly peakRssMb: number;
}

/** Runs the producer CLI, sampling its peak RSS until it exits; resolves with its summary line. */
async function runProducer(args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRssMb(child.pid) ?? 0);
  }, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.find((l) => l['msg'] === 'summary');
  if (code !== 0 || summary === undefined) {
    throw new Error(`producer ${args.join(' ')} exited ${code}:\n${output.split('\n').slice(-10).join('\n')}`);
  }
  return { summary: summary as Record<string, number>, peakRssMb: peak };
}

/** Streams generated logins (5% bad, as the service makes them) into a JSON Lines file. */
async function writeJsonLines(file: string, targetBytes: number): Promise<{ bytes: number; lines: number }> {
  const out = createWriteStream(file, { highWaterMark: 4 * MB });
  let bytes = 0;
  let lines = 0;
  const messages = generatedMessages({ seed: 7, users: 100_000, badShare: 0.05, lateShare: 0.02, maxLatenessMs: 600_000, rate: 1_000, startMs: Date.now() });
  for (const message of messages) {
    if (bytes >= targetBytes) break;
    const line = Buffer.concat([message.value, Buffer.from('\n')]);
    bytes += line.length;
    lines++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, lines };
}

const fmt = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  const generateCount = Number(process.env['BENCH_GENERATE_COUNT'] ?? 1_000_000);
  const replaySizesMb = (process.env['BENCH_REPLAY_MB'] ?? '100,1024').split(',').map(Number);
  const broker = await startBroker();
  const dir = await mkdtemp(path.join(tmpdir(), 'producer-bench-'));
  const topics: string[] = [];
  const env = { KAFKA_BROKERS: broker.bootstrapServers, LOG_LEVEL: 'info', TOPIC_PARTITIONS: '6' };
  try {
    print(`broker: ${broker.kind} at ${broker.bootstrapServers}`);

    const generateTopic = uniqueName('bench-generate');
    topics.push(generateTopic);
    const generate = await runProducer(['generate', '--rate', 'max', '--count', String(generateCount), '--seed', '1', '--topic', generateTopic], env);
    print(
      `generate --rate max: ${fmt(generate.summary['sent'] ?? 0)} events in ${((generate.summary['elapsedMs'] ?? 0) / 1000).toFixed(1)} s → ` +
        `${fmt(generate.summary['eventsPerSecond'] ?? 0)} events/s (peak RSS ${fmt(generate.peakRssMb)} MB)`,
    );

    for (const sizeMb of replaySizesMb) {
      const file = path.join(dir, `logins-${sizeMb}mb.jsonl`);
      const written = await writeJsonLines(file, sizeMb * MB);
      const topic = uniqueName('bench-replay');
      topics.push(topic);
      const replay = await runProducer(['replay', file, '--topic', topic], env);
      print(
        `replay ${fmt(written.bytes / MB)} MB JSON Lines (${fmt(written.lines)} lines): peak RSS ${fmt(replay.peakRssMb)} MB, ` +
          `${fmt(replay.summary['sent'] ?? 0)} sent (${fmt(replay.summary['malformed'] ?? 0)} malformed) in ` +
          `${((replay.summary['elapsedMs'] ?? 0) / 1000).toFixed(1)} s → ${fmt(replay.summary['eventsPerSecond'] ?? 0)} events/s`,
      );
      await rm(file);
    }
  } finally {
    const admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await rm(dir, { recursive: true, force: true });
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
