import { createLoginValidator, DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import type { LoginRules, NormalizedLogin } from '@login-stream/schema';
import { mixedLogins } from '../testing/login-events';
import { decodeLoginBytes } from './decode';
import { createProcessedJson } from './processed-json';

const NOW = Date.parse('2023-09-13T00:00:00Z');
const PROCESSED_AT = '2023-09-13T00:00:00.042Z';

/** Raw login texts: the usual ones, and ones changed in every way that matters to the writer. */
function variedLogins(): string[] {
  const base = mixedLogins({ count: 400, users: 50, badShare: 0, seed: 11 }).map((r) => JSON.parse(r.value.toString()) as Record<string, unknown>);
  const variations: Array<(l: Record<string, unknown>) => Record<string, unknown>> = [
    (l) => l,
    (l) => ({ ...l, campaign: 'spring' }),
    (l) => ({ ...l, device_id: undefined }),
    (l) => Object.fromEntries(Object.entries(l).filter(([k]) => k !== 'locale')),
    (l) => ({ ...l, user_id: ` ${String(l['user_id'])} ` }),
    (l) => ({ ...l, user_id: `quote"d\\back` }),
    (l) => ({ ...l, device_id: 'tab\there' }),
    (l) => ({ ...l, user_id: 'Zoë 😀' }),
    (l) => ({ ...l, timestamp: 1694480000.5 }),
    (l) => ({ event_time_ms: 1, event_time: 'x', ...l }),
    (l) => ({ timestamp: l['timestamp'], ...l }),
  ];
  return base.map((login, i) => JSON.stringify(variations[i % variations.length](login)));
}

function expectAsJsonStringify(rules: LoginRules): { written: number; viaStringify: number } {
  const validate = createLoginValidator(rules, () => NOW);
  const processedJson = createProcessedJson(rules.supportedDeviceTypes);
  processedJson({ user_id: 'warm', timestamp: 1, event_time: 'x', event_time_ms: 1 }, PROCESSED_AT, false);
  const texts = variedLogins();
  const written: string[] = [];
  const expected: string[] = [];
  let viaStringify = 0;
  const stringify = jest.spyOn(JSON, 'stringify');
  try {
    for (const text of texts) {
      const decoded = decodeLoginBytes(Buffer.from(text));
      if (!decoded.ok) throw new Error(`not JSON: ${text}`);
      const result = validate(decoded.value);
      if (!result.ok) continue;
      const calls = stringify.mock.calls.length;
      written.push(processedJson(result.login, PROCESSED_AT, decoded.plainText));
      if (stringify.mock.calls.length > calls) viaStringify++;
    }
  } finally {
    stringify.mockRestore();
  }
  for (const text of texts) {
    const decoded = decodeLoginBytes(Buffer.from(text));
    const result = decoded.ok ? validate(decoded.value) : undefined;
    if (result?.ok === true) expected.push(reference(result.login));
  }
  expect(written).toEqual(expected);
  return { written: written.length, viaStringify };
}

/** What it must equal: the login with processed_at added last, through JSON.stringify. */
function reference(login: NormalizedLogin): string {
  return JSON.stringify({ ...login, processed_at: PROCESSED_AT });
}

describe('writing a processed login', () => {
  it('when logins of every shape and content are written, then each reads exactly as JSON.stringify writes it, and the usual ones skip it', () => {
    const { written, viaStringify } = expectAsJsonStringify(DEFAULT_LOGIN_RULES);
    expect(written).toBeGreaterThan(300);
    // Only the unusual ones go through JSON.stringify: about 7 of the 11 variations.
    expect(viaStringify).toBeGreaterThan(written / 2);
    expect(viaStringify).toBeLessThan(written - 50);
  });

  it('when a supported device type would need escaping, then every login goes through JSON.stringify and still reads the same', () => {
    const rules: LoginRules = { ...DEFAULT_LOGIN_RULES, supportedDeviceTypes: ['android', 'i"OS'] };
    const { written, viaStringify } = expectAsJsonStringify(rules);
    expect(written).toBeGreaterThan(100);
    expect(viaStringify).toBe(written);
  });

  it('when a login has the usual keys but other values, or keys beyond them, then it still reads as JSON.stringify writes it', () => {
    const processedJson = createProcessedJson(DEFAULT_LOGIN_RULES.supportedDeviceTypes);
    const usual: NormalizedLogin = {
      user_id: 'u1',
      device_id: 'd1',
      app_version: '2.3.0',
      device_type: 'android',
      ip: '10.0.0.1',
      locale: 'RU',
      timestamp: 1694479551,
      event_time: '2023-09-12T00:45:51.000Z',
      event_time_ms: 1694479551000,
    };
    const { event_time_ms: _dropped, ...withoutTime } = usual;
    const logins: NormalizedLogin[] = [
      usual,
      { ...usual, timestamp: '1694479551' },
      { ...usual, device_id: undefined },
      { ...usual, locale: 7 as unknown as string },
      { ...usual, timestamp: Number.NaN },
      { ...usual, event_time_ms: Number.NaN },
      { ...usual, extra: true },
      withoutTime as NormalizedLogin,
    ];
    expect(logins.map((login) => processedJson(login, PROCESSED_AT, true))).toEqual(logins.map(reference));
  });
});
