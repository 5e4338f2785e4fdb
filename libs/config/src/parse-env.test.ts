import { dropUnsetVariables, isSet } from './parse-env';

describe('set and unset variables', () => {
  it('when a variable is empty or blank, then it is unset, and dropping unset variables removes exactly those', () => {
    expect([undefined, '', '  ', 'x', '0'].map(isSet)).toEqual([false, false, false, true, true]);
    const env: NodeJS.ProcessEnv = { PRODUCER_USERS: '', PRODUCER_RATE: '50', TOPIC_USER_LOGIN: ' ', LOG_LEVEL: 'info' };
    dropUnsetVariables(env);
    expect(env).toEqual({ PRODUCER_RATE: '50', LOG_LEVEL: 'info' });
  });
});
