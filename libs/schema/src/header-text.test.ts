import { headerText } from './header-text';

describe('reading a header as text', () => {
  it('when a header has one value, several or none, then its first value is the text, and a missing one is undefined', () => {
    const headers = { one: Buffer.from('a'), several: [Buffer.from('b'), 'c'], plain: 'd' };
    expect([headerText(headers, 'one'), headerText(headers, 'several'), headerText(headers, 'plain'), headerText(headers, 'absent'), headerText(undefined, 'one')]).toEqual(['a', 'b', 'd', undefined, undefined]);
  });
});
