import { decodeLoginBytes } from './decode';

describe('decoding raw login bytes', () => {
  it('when the bytes are a JSON object, then the object is returned', () => {
    expect(decodeLoginBytes(Buffer.from('{"user_id":"u1"}'))).toEqual({ ok: true, value: { user_id: 'u1' }, plainText: true });
  });

  it('when the JSON is cut off, then it is rejected as NOT_JSON', () => {
    const decoded = decodeLoginBytes(Buffer.from('{"message_id": "1", "timestamp": 1609459200'));
    expect(decoded).toMatchObject({ ok: false, rejection: { code: 'NOT_JSON' } });
  });

  it('when the bytes are not valid UTF-8, then they are rejected as NOT_UTF8 rather than decoded with replacement characters', () => {
    const decoded = decodeLoginBytes(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(decoded).toMatchObject({ ok: false, rejection: { code: 'NOT_UTF8' } });
  });

  it('when the text is UTF-8 beyond ASCII, then it is decoded as UTF-8', () => {
    expect(decodeLoginBytes(Buffer.from('{"user_id":"Zoë 😀","locale":"ΕΛ"}'))).toEqual({ ok: true, value: { user_id: 'Zoë 😀', locale: 'ΕΛ' }, plainText: false });
  });

  it('when the text starts with a byte order mark, then the mark is dropped, as TextDecoder would', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"user_id":"u1"}')]);
    expect(decodeLoginBytes(withBom)).toEqual({ ok: true, value: { user_id: 'u1' }, plainText: false });
  });

  it('when the bytes are an overlong encoding or a lone surrogate, then they are NOT_UTF8', () => {
    for (const bytes of [[0x22, 0xc0, 0xaf, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xe2, 0x82]]) {
      expect(decodeLoginBytes(Buffer.from(bytes))).toMatchObject({ ok: false, rejection: { code: 'NOT_UTF8' } });
    }
  });

  it('when ASCII text holds an escape, then it is not plain: a parsed string may need escaping again', () => {
    expect(decodeLoginBytes(Buffer.from('{"user_id":"a\\"b"}'))).toEqual({ ok: true, value: { user_id: 'a"b' }, plainText: false });
  });

  it('when the record has no value, then it is rejected as NOT_JSON', () => {
    expect(decodeLoginBytes(null)).toMatchObject({ ok: false, rejection: { code: 'NOT_JSON', message: 'record has no value' } });
  });
});
