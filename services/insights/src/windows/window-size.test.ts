import { parseWindowSize, windowStart } from './window-size';

describe('window sizes', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
  ])('when the size is %s, then it is %i ms', (text, ms) => {
    expect(parseWindowSize(text)).toEqual({ label: text, ms });
  });

  it.each(['', '0m', '1d', '1.5m', 'm', '-1m', '01m', '1 m', '10000000s'])('when the size is "%s", then it is refused', (text) => {
    expect(parseWindowSize(text)).toBeUndefined();
  });

  it('when an event falls in a window, then the window starts on the UTC boundary at or before it', () => {
    const minute = { label: '1m', ms: 60_000 };
    const hour = { label: '1h', ms: 3_600_000 };
    const t = Date.parse('2016-07-11T14:39:42.123Z');
    expect(new Date(windowStart(t, minute)).toISOString()).toBe('2016-07-11T14:39:00.000Z');
    expect(new Date(windowStart(t, hour)).toISOString()).toBe('2016-07-11T14:00:00.000Z');
    expect(windowStart(Date.parse('2016-07-11T14:40:00.000Z'), minute)).toBe(Date.parse('2016-07-11T14:40:00.000Z'));
    expect(windowStart(Date.parse('2016-07-11T14:39:59.999Z'), minute)).toBe(Date.parse('2016-07-11T14:39:00.000Z'));
  });
});
