import { encodeMalformed, encodeRecord } from './message';

describe('message encoding', () => {
  it('when a record has a user_id, then it is the key and the value is the record as JSON', () => {
    const message = encodeRecord({ user_id: 'u-1', ip: '1.2.3.4' });
    expect(message.key?.toString()).toBe('u-1');
    expect(JSON.parse(message.value.toString())).toEqual({ user_id: 'u-1', ip: '1.2.3.4' });
    expect(message.malformed).toBe(false);
  });

  it('when the original bytes are given, then they are sent unchanged', () => {
    const original = Buffer.from('{ "user_id" : "u-1" }');
    expect(encodeRecord({ user_id: 'u-1' }, original).value).toBe(original);
  });

  it.each([[{ ip: 'x' }], [{ user_id: '' }], [{ user_id: null }], [[1]], ['text'], [42]])('when the record is %p, then there is no key', (record) => {
    expect(encodeRecord(record).key).toBeNull();
  });

  it('when a user_id is a number, then it is keyed by its decimal text', () => {
    expect(encodeRecord({ user_id: 17 }).key?.toString()).toBe('17');
  });

  it('when bytes are not JSON, then they go as they are, without key, counted as malformed', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);
    expect(encodeMalformed(bytes)).toEqual({ key: null, value: bytes, malformed: true });
  });
});
