import { createPacer } from './pacer';

describe('pacer', () => {
  it('when events come faster than the rate, then each waits for its slot', () => {
    let now = 0;
    const pace = createPacer(100, () => now); // one event every 10 ms
    expect(pace()).toBe(0);
    expect(pace()).toBe(10);
    expect(pace()).toBe(20);
    now = 25;
    expect(pace()).toBe(5);
  });

  it('when the source is on or behind schedule, then nothing waits', () => {
    let now = 0;
    const pace = createPacer(1_000, () => now);
    now = 50;
    expect(Array.from({ length: 40 }, () => pace())).toEqual(Array(40).fill(0));
  });

  it('when a wait would be shorter than a timer can honour, then it is skipped', () => {
    const pace = createPacer(1_000, () => 0);
    expect([pace(), pace(), pace(), pace(), pace(), pace()]).toEqual([0, 0, 0, 0, 0, 5]);
  });

  it('when the source stalled for long, then it catches up at most one second instead of bursting', () => {
    let now = 0;
    const pace = createPacer(10, () => now); // one event every 100 ms
    pace();
    now = 60_000;
    const burst = Array.from({ length: 20 }, () => pace()).filter((wait) => wait === 0).length;
    expect(burst).toBeLessThanOrEqual(11);
    expect(burst).toBeGreaterThanOrEqual(10);
  });
});
