import { percentile } from './percentile';

describe('percentile', () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1);

  it('when asked for p50 and p99 of 1..100, then 50 and 99 come back', () => {
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.99)).toBe(99);
  });

  it('when there are no samples, then the result is NaN', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});
