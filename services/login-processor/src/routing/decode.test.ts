import { decodeLoginBytes } from './decode';

describe('decoding raw login bytes', () => {
  it('when the bytes are a JSON object, then the object is returned', () => {
    expect(decodeLoginBytes(Buffer.from('{"user_id":"u1"}'))).toEqual({ ok: true, value: { user_id: 'u1' } });
  });

  it('when the JSON is cut off, then it is rejected as NOT_JSON', () => {
    const decoded = decodeLoginBytes(Buffer.from('{"message_id": "1", "timestamp": 1609459200'));
    expect(decoded).toMatchObject({ ok: false, rejection: { code: 'NOT_JSON' } });
  });

  it('when the bytes are not valid UTF-8, then they are rejected as NOT_UTF8 rather than decoded with replacement characters', () => {
    const decoded = decodeLoginBytes(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(decoded).toMatchObject({ ok: false, rejection: { code: 'NOT_UTF8' } });
  });

  it('when the record has no value, then it is rejected as NOT_JSON', () => {
    expect(decodeLoginBytes(null)).toMatchObject({ ok: false, rejection: { code: 'NOT_JSON', message: 'record has no value' } });
  });
});
