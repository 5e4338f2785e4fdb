import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readToEnd } from '@login-stream/kafka';
import { seededRandom, TestKafka, uniqueName } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { generatedMessages } from './generate/generated-messages';
import { buildProducer, ProducerChild } from './testing/producer-child';

// A resumable run SIGKILLed at random moments and run again must end with every source item on
// the topic exactly once, as a read_committed consumer sees it.

/** Seeds the kill moments: a failing run replays with RESUME_TEST_SEED. */
const SEED = Number(process.env['RESUME_TEST_SEED'] ?? Date.now() % 1_000_000);
const KILLS = 3;
const logger = createLogger({ service: 'resume-test', level: 'silent' });
const testKafka = new TestKafka();
const children: ProducerChild[] = [];
let dir: string;


beforeAll(async () => {
  buildProducer();
  dir = await mkdtemp(path.join(tmpdir(), 'producer-resume-'));
  process.stderr.write(`resume test seed: ${SEED}\n`);
}, 120_000);
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
});
afterAll(async () => {
  await testKafka.close();
  await rm(dir, { recursive: true, force: true });
});

async function committedValues(topic: string): Promise<string[]> {
  const values: string[] = [];
  await readToEnd(testKafka.kafka, await testKafka.admin(), {
    topic,
    groupIdPrefix: 'resume-read',
    timeoutMs: 60_000,
    logger,
    onBatch: (_partition, messages) => values.push(...messages.map((m) => m.value?.toString('latin1') ?? 'null')),
  });
  return values;
}

/**
 * Runs the command, SIGKILLs it KILLS times at random moments while it sends, then lets it finish.
 * Each round sends at most ~2.7 s of the rate (the kill moment plus the pacer's 1 s catch-up after
 * skipping), so the sources below (15 s at their rate) outlast every killed round.
 */
async function killAndResume(args: string[], env: Record<string, string>, next: () => number): Promise<ProducerChild> {
  for (let round = 1; round <= KILLS; round++) {
    const child = new ProducerChild(args, env);
    children.push(child);
    await child.waitForLog((l) => l.msg === 'producing', `round ${round}: the producer to start sending`, 60_000);
    await delay(200 + Math.floor(next() * 1_500));
    expect(await child.kill('SIGKILL')).toBeNull();
  }
  const last = new ProducerChild(args, env);
  children.push(last);
  expect(await last.exitCode(120_000)).toBe(0);
  return last;
}

describe('resumable runs', () => {
  it(`when replay --resume is SIGKILLed ${KILLS} times at random moments and run again, then every line of the file is on the topic exactly once`, async () => {
    const next = seededRandom(SEED);
    const lines = Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ user_id: `user-${i % 97}`, timestamp: 1_714_564_800 + i, seq: i }));
    lines.splice(1_000, 0, 'not json, sent as it is');
    // Left out (larger than the topic takes) yet counted in the run's position: no line after it may repeat.
    const huge = JSON.stringify({ user_id: 'user-huge', pad: 'x'.repeat(1_100_000) });
    const file = path.join(dir, 'logins.jsonl');
    await writeFile(file, `${[...lines.slice(0, 5_000), huge, ...lines.slice(5_000)].join('\n')}\n`);
    const topic = testKafka.own(uniqueName('resume-replay'));
    const env = { KAFKA_BROKERS: testKafka.brokers.join(','), TOPIC_PARTITIONS: '3' };

    const last = await killAndResume(['replay', file, '--resume', '--rate', '4000', '--topic', topic], env, next);

    const values = await committedValues(topic);
    expect(values.length).toBe(lines.length);
    expect([...values].sort()).toEqual([...lines].sort());
    // The last run continued: it skipped what the killed ones had committed.
    expect(last.lines.find((l) => l.msg === 'resuming: skipping what earlier sessions committed')?.['skip']).toBeGreaterThan(0);

    // Run once more after it completed: nothing is sent again.
    const again = new ProducerChild(['replay', file, '--resume', '--rate', '4000', '--topic', topic], env);
    children.push(again);
    expect(await again.exitCode(60_000)).toBe(0);
    expect(await committedValues(topic)).toHaveLength(lines.length);
  }, 300_000);

  it(`when generate --resume is SIGKILLed ${KILLS} times at random moments and run again, then every event of the seeded run is on the topic exactly once`, async () => {
    const next = seededRandom(SEED + 1);
    const topic = testKafka.own(uniqueName('resume-generate'));
    const env = { KAFKA_BROKERS: testKafka.brokers.join(','), TOPIC_PARTITIONS: '3' };
    const settings = { count: 60_000, seed: 3, startMs: Date.parse('2024-05-01T12:00:00Z'), rate: 4_000, users: 500, badShare: 0.05, lateShare: 0.02, maxLatenessMs: 600_000 };
    const args = ['generate', '--resume', '--count', '60000', '--seed', '3', '--start', '2024-05-01T12:00:00Z', '--rate', '4000', '--users', '500', '--topic', topic];

    await killAndResume(args, env, next);

    const expected = [...generatedMessages(settings)].map((m) => m.value.toString('latin1'));
    const values = await committedValues(topic);
    expect(values.length).toBe(expected.length);
    expect([...values].sort()).toEqual(expected.sort());
  }, 300_000);
});
