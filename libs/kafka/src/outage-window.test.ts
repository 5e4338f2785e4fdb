import { OutageWindow } from './outage-window';

describe('outage window', () => {
  it('when transient failures follow one another, then retries back off doubling up to the maximum, and the outage is timed from the first', () => {
    let now = 1_000;
    const window = new OutageWindow({ limitMs: 60_000, what: 'stage routing', clock: () => now, firstBackoffMs: 500, maxBackoffMs: 4_000 });
    const steps = [0, 500, 1_000, 2_000, 4_000].map((after) => {
      now += after;
      return window.failed(new Error('ECONNREFUSED'));
    });
    expect(steps).toEqual([
      { retryInMs: 500, downMs: 0 },
      { retryInMs: 1_000, downMs: 500 },
      { retryInMs: 2_000, downMs: 1_500 },
      { retryInMs: 4_000, downMs: 3_500 },
      { retryInMs: 4_000, downMs: 7_500 },
    ]);
  });

  it('when the outage reaches the limit, then it gives up with BROKER_UNREACHABLE naming the limit and keeping the cause', () => {
    let now = 0;
    const window = new OutageWindow({ limitMs: 10_000, what: 'producer', clock: () => now });
    window.failed(new Error('first'));
    now = 10_000;
    const cause = new Error('ECONNREFUSED');
    const step = window.failed(cause);
    expect(step).toMatchObject({ giveUp: { code: 'BROKER_UNREACHABLE', message: 'producer could not work with Kafka for 10000 ms, the most KAFKA_OUTAGE_TIMEOUT_MS (10000) allows', cause } });
  });

  it('when the work succeeds between failures, then the next failure starts a new outage with the first backoff', () => {
    let now = 0;
    const window = new OutageWindow({ limitMs: 10_000, what: 'producer', clock: () => now, firstBackoffMs: 100 });
    window.failed(undefined);
    now = 9_000;
    window.failed(undefined);
    window.recovered();
    now = 19_000;
    expect(window.failed(undefined)).toEqual({ retryInMs: 100, downMs: 0 });
  });

  it('when little time is left before the limit, then the retry waits only until the limit', () => {
    let now = 0;
    const window = new OutageWindow({ limitMs: 1_000, what: 'producer', clock: () => now, firstBackoffMs: 5_000 });
    window.failed(undefined);
    now = 800;
    expect(window.failed(undefined)).toEqual({ retryInMs: 200, downMs: 800 });
  });
});
