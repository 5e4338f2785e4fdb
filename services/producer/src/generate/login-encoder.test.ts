import { encodeGenerated } from '../message';
import type { OutboundMessage } from '../message';
import { createLoginEncoder } from './login-encoder';
import { createLoginGenerator } from './login-generator';
import type { LoginGeneratorOptions } from './login-generator';
import type { User } from './population';

const OPTIONS: LoginGeneratorOptions = {
  seed: 42,
  users: 2_000,
  badShare: 0.1,
  lateShare: 0.05,
  maxLatenessMs: 600_000,
  clock: () => Date.parse('2024-05-01T12:00:00Z'),
};

describe('login encoder', () => {
  it('when logins are drawn with the same seed, then nextMessage gives the bytes, keys and kinds encodeGenerated(next()) gives', () => {
    const records = createLoginGenerator(OPTIONS);
    const messages = createLoginGenerator(OPTIONS);
    const plain = ({ key, value, malformed }: OutboundMessage) => [key?.toString('latin1'), value.toString('latin1'), malformed];
    const expected = Array.from({ length: 20_000 }, () => plain(encodeGenerated(records.next())));
    const actual = Array.from({ length: 20_000 }, () => plain(messages.nextMessage()));
    expect(actual).toEqual(expected);
    expect(new Set(actual.map(([, , malformed]) => malformed)).size).toBe(2);
  });

  it.each([0, 7, 10, 99, 1_714_564_800, Number.MAX_SAFE_INTEGER, -1, 2 ** 60, NaN])(
    'when the timestamp is %p, then the bytes are what JSON.stringify gives, as a number and as a string',
    (seconds) => {
      const user: User = { id: 'u"1', locale: 'DE', devices: [{ id: 'd1', type: 'iOS', appVersion: '2.10.0' }], ips: ['10.0.0.1'] };
      const encode = createLoginEncoder([user]);
      for (const stringTimestamp of [false, true]) {
        const record = { user_id: 'u"1', app_version: '2.10.0', device_type: 'iOS', ip: '10.0.0.1', locale: 'DE', device_id: 'd1', timestamp: stringTimestamp ? String(seconds) : seconds };
        const message = encode({ user: 0, device: 0, ip: 0, seconds, stringTimestamp });
        expect(message.value.toString()).toBe(JSON.stringify(record));
        expect(message.key?.toString()).toBe('u"1');
      }
    },
  );

  it('when more logins are encoded than fit one slab, then earlier values stay intact', () => {
    const generator = createLoginGenerator({ ...OPTIONS, badShare: 0 });
    const values = Array.from({ length: 20_000 }, () => generator.nextMessage().value);
    const copies = values.map((v) => Buffer.from(v));
    generator.nextMessage();
    expect(values.every((v, i) => v.equals(copies[i]) && (JSON.parse(v.toString()) as { user_id: string }).user_id !== '')).toBe(true);
  });
});
