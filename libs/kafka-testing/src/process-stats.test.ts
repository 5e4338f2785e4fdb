import { cpuSeconds, peakRssMb } from './process-stats';

describe('process stats from /proc', () => {
  it('when asked about this process, then its peak RSS and CPU time are positive; a pid that is gone has no RSS', () => {
    const spin = Date.now() + 30;
    while (Date.now() < spin);
    expect(peakRssMb(process.pid)).toBeGreaterThan(10);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(peakRssMb(2 ** 22 + 1)).toBeUndefined();
  });
});
