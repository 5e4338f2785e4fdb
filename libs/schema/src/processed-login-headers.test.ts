import { formatLineage, parseLineage } from './processed-login-headers';

describe('lineage header', () => {
  it('when formatted and parsed, then topic, partition and offset come back', () => {
    expect(parseLineage(formatLineage('user-login.v2', 5, '9007199254740993'))).toEqual({
      topic: 'user-login.v2',
      partition: 5,
      offset: '9007199254740993',
    });
  });

  it('when the value is not topic:partition:offset, then nothing is parsed', () => {
    expect(parseLineage('user-login:x:1')).toBeUndefined();
  });
});
