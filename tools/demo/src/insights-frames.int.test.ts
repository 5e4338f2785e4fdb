import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '@login-stream/kafka-testing';
import { buildServices, PipelineFixture } from './testing/pipeline-harness';

// The README's recipe for unique users per minute on a bare frame stream:
//   producer replay frames.jsonl --map user_id=uid --map timestamp=ts
//   → processor with REQUIRED_FIELDS=user_id,timestamp → insights.

const SEED = 1_468_244;
const FRAMES = 5_000;
const FIRST_TS = 1_468_244_384;

describe('unique users per minute on a bare frame stream', () => {
  const fixture = new PipelineFixture();
  let dir: string;
  beforeAll(() => {
    buildServices();
    dir = mkdtempSync(path.join(tmpdir(), 'frames-'));
  }, 180_000);
  afterAll(async () => {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`when frames {uid, ts} are replayed through the recipe, then each minute’s unique_users and logins equal the frame file’s count (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    // Five minutes of frames in order, each up to 3 s behind its place (within the grace).
    const frames = Array.from({ length: FRAMES }, (_, i) => ({
      uid: `uid-${Math.floor(random() * 600)}`,
      ts: FIRST_TS + Math.floor((i * 300) / FRAMES) - Math.floor(random() * 3),
      fps: 30,
    }));
    const file = path.join(dir, 'frames.jsonl');
    writeFileSync(file, frames.map((f) => JSON.stringify(f)).join('\n'));

    const p = await fixture.pipeline('ins-frames');
    await Promise.all([p.startProcessor({ REQUIRED_FIELDS: 'user_id,timestamp' }), p.startInsights()]);
    const producer = p.start('producer', ['replay', file, '--map', 'user_id=uid', '--map', 'timestamp=ts']);
    expect(await producer.exitCode(60_000)).toBe(0);

    // The count, from the file alone.
    const perMinute = new Map<string, { logins: number; users: Set<string> }>();
    for (const f of frames) {
      const key = `1m:${new Date(Math.floor(f.ts / 60) * 60_000).toISOString()}`;
      const w = perMinute.get(key) ?? { logins: 0, users: new Set() };
      w.logins++;
      w.users.add(f.uid);
      perMinute.set(key, w);
    }
    await p.waitForProcessed(FRAMES);
    const results = await p.waitForResults(perMinute.keys());
    const minutes = [...results].filter(([k]) => k.startsWith('1m:'));
    expect(new Map(minutes.map(([k, rs]) => [k, rs.map((r) => ({ logins: r.logins, unique_users: r.unique_users }))]))).toEqual(
      new Map([...perMinute].map(([k, w]) => [k, [{ logins: w.logins, unique_users: w.users.size }]])),
    );
    const [hour] = results.get('1h:2016-07-11T13:00:00.000Z') ?? [];
    expect(hour?.unique_users).toBe(new Set(frames.map((f) => f.uid)).size);
  }, 180_000);
});
