import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLive, keepLivenessFile, LIVENESS_INTERVAL_MS } from './liveness-file';

describe('the liveness file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'liveness-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a service keeps its file, then it is live until it stops, and the file is gone after', () => {
    const file = path.join(dir, 'healthy');
    expect(isLive(file)).toBe(false);
    const stop = keepLivenessFile(file);
    expect(isLive(file)).toBe(true);
    stop();
    expect(existsSync(file)).toBe(false);
    expect(isLive(file)).toBe(false);
  });

  it('when the file was last refreshed longer ago than three intervals, then it is not live', () => {
    const file = path.join(dir, 'healthy');
    const stop = keepLivenessFile(file);
    const past = (Date.now() - 3 * LIVENESS_INTERVAL_MS - 1_000) / 1000;
    utimesSync(file, past, past);
    expect(isLive(file)).toBe(false);
    stop();
  });

  it('when no file is configured, then nothing is written', () => {
    keepLivenessFile(undefined)();
    expect(isLive(path.join(dir, 'healthy'))).toBe(false);
  });

  it('when the healthcheck command runs, then its exit code says whether the file is fresh', () => {
    const check = path.resolve(__dirname, '../dist/cli/liveness-check.js');
    const file = path.join(dir, 'healthy');
    const run = () => {
      try {
        execFileSync(process.execPath, [check, file]);
        return 0;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    expect(run()).toBe(1);
    const stop = keepLivenessFile(file);
    expect(run()).toBe(0);
    stop();
  });
});
