import { seededRandom } from '@login-stream/kafka-testing';
import { createFlatFieldPicker } from './flat-json-fields';

// Holds the byte-level field picker to JSON.parse, the source of truth, over generated records:
// processed logins as the processor writes them, the same with whitespace, escapes, nesting,
// repeated keys and odd numbers, and all of those with bytes changed at random. Whatever the
// picker answers must be what JSON.parse gives for those fields; when it declines, the caller
// falls back to JSON.parse, so declining is always safe. Seeded, so a failure replays.

const FIELDS = ['user_id', 'device_type', 'locale', 'ip', 'event_time_ms'] as const;
// Repeating fields are looked up by their bytes; user_id has too many values for that, which exercises the bound.
const pick = createFlatFieldPicker(FIELDS, { repeating: ['user_id', 'device_type', 'locale'] });
const SEED = Number(process.env['TEST_SEED'] ?? 20261201);
const random = seededRandom(SEED);
const oneOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

const TEXTS = ['u-1', 'user-42', '', 'é', '😀', 'a"b', 'a\\b', 'line\nbreak', '\u0001', 'tab\there', 'ünïcødé', 'CA', 'iOS', '10.0.0.1', '::1', ' padded '];
const NUMBERS = ['0', '-0', '1468247940000', '1.5', '-2.25e3', '1E400', '0.000001', '12345678901234567890', '1e-7'];
const OTHER_KEYS = ['app_version', 'timestamp', 'processed_at', 'user', 'ip_', 'USER_ID', 'locale2', 'event_time', '__proto__', 'ïp'];
const NESTED = ['{}', '[]', '{"a":1}', '[1,"x",null]', '{"user_id":"inner"}'];
const STRANGE_BYTES = [0x7b, 0x7d, 0x22, 0x5c, 0x2c, 0x3a, 0x30, 0x2d, 0x2e, 0x65, 0x20, 0x0a, 0x00, 0x1f, 0x80, 0xc3, 0xe2, 0xff, 0x6e, 0x74];

function scalarJson(): string {
  const r = random();
  if (r < 0.55) return JSON.stringify(oneOf(TEXTS));
  if (r < 0.8) return oneOf(NUMBERS);
  if (r < 0.9) return oneOf(['true', 'false', 'null']);
  return oneOf(NESTED);
}

const space = () => (random() < 0.15 ? oneOf([' ', '\n', '\t', '\r\n', '  ']) : '');

function recordJson(): { readonly json: string; readonly asWritten: boolean } {
  if (random() < 0.3) {
    // As the processor writes it: JSON.stringify of a flat object.
    const json = JSON.stringify({
      user_id: `user-${Math.floor(random() * 1000)}`,
      app_version: '2.4.0',
      device_type: oneOf(['android', 'iOS']),
      ip: `10.0.${Math.floor(random() * 256)}.1`,
      locale: oneOf(['CA', 'RU', 'ΕΛ']),
      timestamp: 1468247940,
      event_time: '2016-07-11T14:39:00.000Z',
      event_time_ms: 1468247940000 + Math.floor(random() * 60_000),
      processed_at: '2026-12-01T10:00:00.000Z',
    });
    return { json, asWritten: true };
  }
  const entries = Array.from({ length: Math.floor(random() * 8) }, () => {
    const key = random() < 0.6 ? oneOf(FIELDS) : oneOf(OTHER_KEYS);
    const keyJson = random() < 0.05 ? `"${key.replace('_', '\\u005f')}"` : JSON.stringify(key);
    return `${space()}${keyJson}${space()}:${space()}${scalarJson()}${space()}`;
  });
  return { json: `${space()}{${entries.join(',')}}${space()}`, asWritten: false };
}

function mutate(bytes: Buffer): Buffer {
  const out = [...bytes];
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    const at = Math.floor(random() * (out.length + 1));
    const r = random();
    if (r < 0.4 && out.length > 0) out[Math.min(at, out.length - 1)] = oneOf(STRANGE_BYTES);
    else if (r < 0.7) out.splice(at, 0, oneOf(STRANGE_BYTES));
    else out.splice(at, 1);
  }
  return Buffer.from(out);
}

/** JSON.parse's view of the fields, or 'not an object' when it throws or gives something else. */
function byJsonParse(bytes: Buffer): Partial<Record<(typeof FIELDS)[number], unknown>> | 'not an object' {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch {
    return 'not an object';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not an object';
  const record = json as Record<string, unknown>;
  const fields: Partial<Record<(typeof FIELDS)[number], unknown>> = {};
  for (const f of FIELDS) if (Object.hasOwn(record, f)) fields[f] = record[f];
  return fields;
}

describe('picking fields off the bytes of a flat JSON object', () => {
  it('when it answers for a generated or mangled record, then it answers what JSON.parse gives for those fields', () => {
    process.stdout.write(`flat-json-fields differential seed: ${SEED} (TEST_SEED replays it)\n`);
    let answered = 0;
    let writtenByProcessor = 0;
    let answeredWritten = 0;
    const cases = 20_000;
    for (let n = 0; n < cases; n++) {
      const { json, asWritten } = recordJson();
      const clean = random() < 0.5;
      const bytes = clean ? Buffer.from(json) : mutate(Buffer.from(json));
      const picked = pick(bytes);
      if (clean && asWritten) {
        writtenByProcessor++;
        if (picked !== undefined) answeredWritten++;
      }
      if (picked === undefined) continue;
      answered++;
      const expected = byJsonParse(bytes);
      if (expected === 'not an object' || FIELDS.some((f) => Object.hasOwn(picked, f) !== Object.hasOwn(expected, f) || !Object.is(picked[f], expected[f]))) {
        throw new Error(`the picker answered ${JSON.stringify(picked)} for ${JSON.stringify(bytes.toString('latin1'))}; JSON.parse: ${JSON.stringify(expected)}`);
      }
    }
    // The point of it: every record the processor writes is answered without JSON.parse.
    expect(answeredWritten).toBe(writtenByProcessor);
    expect(writtenByProcessor).toBeGreaterThan(cases / 10);
    // And it is exercised on the rest too, not only on the easy ones.
    expect(answered - answeredWritten).toBeGreaterThan(cases / 10);
  });

  it.each([
    ['a nested value', '{"user_id":"u","x":{"a":1}}'],
    ['an escape in a string', '{"user_id":"u\\"1"}'],
    ['an escaped key', '{"user\\u005fid":"u"}'],
    ['trailing bytes', '{"user_id":"u"} x'],
    ['a trailing comma', '{"user_id":"u",}'],
    ['a leading zero', '{"event_time_ms":01}'],
    ['an array', '[1]'],
    ['a byte order mark', '\ufeff{"user_id":"u"}'],
  ])('when the record has %s, then it declines and leaves it to JSON.parse', (_what, json) => {
    expect(pick(Buffer.from(json))).toBeUndefined();
  });

  it('when a key repeats, then its last value counts, as with JSON.parse', () => {
    expect(pick(Buffer.from('{"user_id":"a","ip":null,"user_id":"b"}'))).toEqual({ user_id: 'b', ip: null });
  });
});
