import { EVENT_TIME_HEADER } from '@login-stream/schema';
import { readLogin } from './read-login';

const value = (json: unknown) => Buffer.from(JSON.stringify(json));
const at = (ms: number | string) => ({ [EVENT_TIME_HEADER]: Buffer.from(String(ms)) });

describe('reading a processed login', () => {
  it('when a processed login carries the event-time header, then its user, device type, locale and ip come from the value and its time from the header', () => {
    expect(readLogin(value({ user_id: 'u1', device_type: 'iOS', locale: 'CA', ip: '10.0.0.1', event_time_ms: 1 }), at(1468247940000))).toEqual({
      login: { userId: 'u1', deviceType: 'iOS', locale: 'CA', ip: '10.0.0.1' },
      eventTimeMs: 1468247940000,
    });
  });

  it('when the header is missing, then the value’s event_time_ms is used; absent or null fields are absent', () => {
    expect(readLogin(value({ user_id: 'u1', locale: null, event_time_ms: 5 }), {})).toEqual({ login: { userId: 'u1', deviceType: undefined, locale: undefined, ip: undefined }, eventTimeMs: 5 });
  });

  it.each([
    ['not JSON', Buffer.from('{"user_id":'), at(1), 'NOT_JSON'],
    ['an array', value([1]), at(1), 'NOT_AN_OBJECT'],
    ['no user_id', value({ ip: '1.1.1.1' }), at(1), 'MISSING_FIELD'],
    ['an empty user_id', value({ user_id: '' }), at(1), 'MISSING_FIELD'],
    ['a header that is not digits', value({ user_id: 'u' }), at('12a'), 'INVALID_TIMESTAMP'],
    ['a zero event time', value({ user_id: 'u' }), at(0), 'INVALID_TIMESTAMP'],
    ['no event time at all', value({ user_id: 'u' }), {}, 'INVALID_TIMESTAMP'],
    ['a numeric ip', value({ user_id: 'u', ip: 7 }), at(1), 'INVALID_FIELD_TYPE'],
  ])('when the record has %s, then it is rejected with %s', (_what, bytes, headers, code) => {
    const read = readLogin(bytes, headers);
    expect('rejections' in read && read.rejections[0].code).toBe(code);
  });
});
