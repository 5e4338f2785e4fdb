import { LoginStreamError } from '@login-stream/errors';
import { fieldRenamer, parseFieldMappings } from './field-mapping';

describe('field mapping', () => {
  it('when pairs are given as target=source, then they parse, comma-separated or one by one', () => {
    expect(parseFieldMappings('user_id=uid, timestamp = ts')).toEqual([
      { target: 'user_id', source: 'uid' },
      { target: 'timestamp', source: 'ts' },
    ]);
  });

  it.each(['user_id', 'user_id=', '=uid', 'a=b=c'])('when a pair is %p, then parsing fails', (text) => {
    expect(() => parseFieldMappings(text)).toThrow(/target=source/);
  });

  it('when a record has source fields, then they are renamed in place and other fields are kept', () => {
    const rename = fieldRenamer(parseFieldMappings('user_id=uid,timestamp=ts'));
    const out = rename({ uid: 'u1', ip: '1.2.3.4', ts: 1700000000 });
    expect(out).toEqual({ user_id: 'u1', ip: '1.2.3.4', timestamp: 1700000000 });
    expect(Object.keys(out as object)).toEqual(['user_id', 'ip', 'timestamp']);
  });

  it('when a record has no source field, then the very same value comes back (nothing to re-encode)', () => {
    const rename = fieldRenamer(parseFieldMappings('user_id=uid'));
    const record = { user_id: 'u1' };
    expect(rename(record)).toBe(record);
    expect(rename([1, 2])).toEqual([1, 2]);
    expect(rename('text')).toBe('text');
  });

  it('when the input already has a field named like a target, then the renamed source wins', () => {
    const rename = fieldRenamer(parseFieldMappings('user_id=uid'));
    expect(rename({ user_id: 'old', uid: 'new' })).toEqual({ user_id: 'new' });
  });

  it('when two fields swap names, then both move', () => {
    const rename = fieldRenamer(parseFieldMappings('a=b,b=a'));
    expect(rename({ a: 1, b: 2 })).toEqual({ a: 2, b: 1 });
  });

  it('when a field is mapped twice, then the mapping is rejected as CONFIG_INVALID', () => {
    for (const text of ['user_id=uid,user_id=id', 'a=uid,b=uid']) {
      expect(() => fieldRenamer(parseFieldMappings(text))).toThrow(/mapped twice/);
      expect(() => fieldRenamer(parseFieldMappings(text))).toThrow(LoginStreamError);
    }
  });

  it('when a field is called __proto__, then it stays a plain field', () => {
    const rename = fieldRenamer(parseFieldMappings('user_id=uid'));
    const out = rename(JSON.parse('{"uid":"u","__proto__":{"x":1}}'));
    expect(JSON.stringify(out)).toBe('{"user_id":"u","__proto__":{"x":1}}');
  });
});
