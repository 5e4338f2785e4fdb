import { DEFAULT_LOGIN_RULES, decodeDeadLetterHeaders } from '@login-stream/schema';
import type { LoginRules } from '@login-stream/schema';
import { EVENT_TIME_HEADER, parseLineage, LINEAGE_HEADER } from './lineage';
import { createLoginRouter } from './route-login';
import type { InputRecord, OutputRecord, Routed } from './route-login';

const NOW = Date.parse('2024-01-01T00:00:00Z');
const batch = { topic: 'user-login', partition: 2, now: '2024-01-01T00:00:00.123Z' };

/** The reference generator's sample, timestamp as a string of epoch seconds. */
const SAMPLE = {
  user_id: '424cdd21-063a-43a7-b91b-7ca1a833afae',
  app_version: '2.3.0',
  device_type: 'android',
  ip: '199.172.111.135',
  locale: 'RU',
  device_id: '593-47-5928',
  timestamp: '1694479551',
};

function route(value: unknown, rules: LoginRules = DEFAULT_LOGIN_RULES, key: Buffer | null = Buffer.from('k1')): Routed {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  const input: InputRecord = { key, value: bytes, offset: '41' };
  return createLoginRouter(rules, () => NOW)(input, batch);
}

function processedValue(routed: Routed): Record<string, unknown> {
  expect(routed.kind).toBe('processed');
  return JSON.parse(String(routed.record.value)) as Record<string, unknown>;
}

function deadLetter(routed: Routed) {
  expect(routed.kind).toBe('dead-letter');
  return decodeDeadLetterHeaders(routed.record.headers);
}

function codes(record: OutputRecord): Array<{ code: string; field?: string }> {
  return decodeDeadLetterHeaders(record.headers).errors.map(({ code, field }) => ({ code, ...(field !== undefined && { field }) }));
}

describe('routing a raw login', () => {
  describe('valid logins go to processed-logins', () => {
    it('when the reference sample arrives with timestamp "1694479551", then it is valid and its UTC time is 2023-09-12T00:45:51Z', () => {
      const value = processedValue(route(SAMPLE));
      expect(value['event_time']).toBe('2023-09-12T00:45:51.000Z');
      expect(value['event_time_ms']).toBe(1694479551000);
    });

    it('when a login is valid, then it is keyed by user_id, keeps its original fields and gains processed_at', () => {
      const routed = route({ ...SAMPLE, campaign: 'spring' });
      expect(String(routed.record.key)).toBe(SAMPLE.user_id);
      expect(processedValue(routed)).toEqual({
        ...SAMPLE,
        campaign: 'spring',
        event_time: '2023-09-12T00:45:51.000Z',
        event_time_ms: 1694479551000,
        processed_at: batch.now,
      });
    });

    it('when a login is valid, then its lineage header names the input topic, partition and offset', () => {
      const routed = route(SAMPLE);
      expect(parseLineage(String(routed.record.headers[LINEAGE_HEADER]))).toEqual({ topic: 'user-login', partition: 2, offset: '41' });
    });

    it('when a login is valid, then its event-time header holds its event time in epoch milliseconds', () => {
      expect(route(SAMPLE).record.headers[EVENT_TIME_HEADER]).toBe('1694479551000');
    });

    it.each([
      ['epoch seconds as a number', 1694479551],
      ['epoch milliseconds as a number', 1694479551000],
      ['epoch milliseconds as a string', '1694479551000'],
      ['ISO-8601 in UTC', '2023-09-12T00:45:51Z'],
      ['ISO-8601 with an offset', '2023-09-12T02:45:51+02:00'],
    ])('when the timestamp is %s, then the same UTC time is emitted', (_form, timestamp) => {
      const value = processedValue(route({ ...SAMPLE, timestamp }));
      expect(value['event_time']).toBe('2023-09-12T00:45:51.000Z');
      expect(value['event_time_ms']).toBe(1694479551000);
      expect(value['timestamp']).toBe(timestamp);
    });

    it.each([
      ['ANDROID', 'android'],
      ['Android', 'android'],
      ['ios', 'iOS'],
      ['IOS', 'iOS'],
    ])('when device_type is %s, then it is emitted as %s', (given, canonical) => {
      expect(processedValue(route({ ...SAMPLE, device_type: given }))['device_type']).toBe(canonical);
    });

    it('when app_version is 2.10.0 and the minimum is 2.3.0, then it passes: versions are not compared as strings', () => {
      expect(route({ ...SAMPLE, app_version: '2.10.0' }).kind).toBe('processed');
    });

    it('when ip is an IPv6 address, then it passes', () => {
      expect(route({ ...SAMPLE, ip: '2001:db8::8a2e:370:7334' }).kind).toBe('processed');
    });

    it('when locale is lower case, then it is emitted in upper case', () => {
      expect(processedValue(route({ ...SAMPLE, locale: 'ru' }))['locale']).toBe('RU');
    });
  });

  describe('rejected logins go to the DLQ with their bytes untouched', () => {
    it('when the bytes are {"message_id": "1", "timestamp": 1609459200 (cut off), then the dead letter says NOT_JSON and keeps key and value as they came', () => {
      const bytes = Buffer.from('{"message_id": "1", "timestamp": 1609459200');
      const routed = route(bytes);
      expect(deadLetter(routed).reason).toBe('NOT_JSON');
      expect(routed.record.value).toBe(bytes);
      expect(routed.record.key).toEqual(Buffer.from('k1'));
    });

    it('when the bytes are not UTF-8, then the dead letter says NOT_UTF8 and keeps the exact bytes', () => {
      const bytes = Buffer.from([0xc3, 0x28, 0xa0, 0xa1]);
      const routed = route(bytes, DEFAULT_LOGIN_RULES, null);
      expect(deadLetter(routed).reason).toBe('NOT_UTF8');
      expect(Buffer.compare(routed.record.value as Buffer, Buffer.from([0xc3, 0x28, 0xa0, 0xa1]))).toBe(0);
      expect(routed.record.key).toBeNull();
    });

    it('when the JSON is not an object, then the dead letter says NOT_AN_OBJECT', () => {
      expect(deadLetter(route([SAMPLE])).reason).toBe('NOT_AN_OBJECT');
    });

    it('when device_type is missing, then the dead letter says MISSING_FIELD for device_type', () => {
      const { device_type: _dropped, ...withoutDevice } = SAMPLE;
      const routed = route(withoutDevice);
      expect(deadLetter(routed).reason).toBe('MISSING_FIELD');
      expect(codes(routed.record)).toEqual([{ code: 'MISSING_FIELD', field: 'device_type' }]);
    });

    it('when app_version is 2.2.9 and the minimum is 2.3.0, then the dead letter says APP_VERSION_TOO_OLD', () => {
      expect(codes(route({ ...SAMPLE, app_version: '2.2.9' }).record)).toEqual([{ code: 'APP_VERSION_TOO_OLD', field: 'app_version' }]);
    });

    it('when app_version is not a version, then the dead letter says INVALID_APP_VERSION', () => {
      expect(codes(route({ ...SAMPLE, app_version: 'latest' }).record)).toEqual([{ code: 'INVALID_APP_VERSION', field: 'app_version' }]);
    });

    it('when ip is 999.999.999.999, then the dead letter says INVALID_IP', () => {
      expect(codes(route({ ...SAMPLE, ip: '999.999.999.999' }).record)).toEqual([{ code: 'INVALID_IP', field: 'ip' }]);
    });

    it('when device_type is not supported, then the dead letter says UNSUPPORTED_DEVICE_TYPE', () => {
      expect(codes(route({ ...SAMPLE, device_type: 'windows-phone' }).record)).toEqual([
        { code: 'UNSUPPORTED_DEVICE_TYPE', field: 'device_type' },
      ]);
    });

    it.each([
      ['-1', -1],
      ['zero', 0],
      ['a negative numeric string', '-1694479551'],
      ['not a number', 'yesterday'],
      ['a boolean', true],
    ])('when the timestamp is %s, then the dead letter says INVALID_TIMESTAMP', (_case, timestamp) => {
      expect(codes(route({ ...SAMPLE, timestamp }).record)).toEqual([{ code: 'INVALID_TIMESTAMP', field: 'timestamp' }]);
    });

    it('when the timestamp is far in the future, then the dead letter says TIMESTAMP_OUT_OF_RANGE', () => {
      expect(codes(route({ ...SAMPLE, timestamp: NOW / 1000 + 7 * 24 * 3600 }).record)).toEqual([
        { code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp' },
      ]);
    });

    it('when several rules fail, then every one is listed and the first is the reason', () => {
      const routed = route({ ...SAMPLE, ip: 'nowhere', timestamp: -1 });
      const info = deadLetter(routed);
      expect(info.errors.map((e) => e.code).sort()).toEqual(['INVALID_IP', 'INVALID_TIMESTAMP']);
      expect(info.reason).toBe(info.errors[0]?.code);
      for (const e of info.errors) expect(e.message.length).toBeGreaterThan(0);
    });

    it('when a login is rejected, then the headers name the source topic, partition, offset and the time it failed', () => {
      const info = deadLetter(route({ ...SAMPLE, ip: '999.999.999.999' }));
      expect(info).toMatchObject({ sourceTopic: 'user-login', sourcePartition: 2, sourceOffset: '41', failedAt: batch.now });
    });
  });

  describe('rules come from configuration', () => {
    it('when device_id is not required, then a login without it passes', () => {
      const { device_id: _dropped, ...withoutDeviceId } = SAMPLE;
      const rules = { ...DEFAULT_LOGIN_RULES, requiredFields: DEFAULT_LOGIN_RULES.requiredFields.filter((f) => f !== 'device_id') };
      expect(route(withoutDeviceId, rules).kind).toBe('processed');
    });

    it('when the supported device types are web and android, then iOS is rejected and WEB passes as web', () => {
      const rules = { ...DEFAULT_LOGIN_RULES, supportedDeviceTypes: ['web', 'android'] };
      expect(route(SAMPLE, rules).kind).toBe('processed');
      expect(codes(route({ ...SAMPLE, device_type: 'iOS' }, rules).record)).toEqual([{ code: 'UNSUPPORTED_DEVICE_TYPE', field: 'device_type' }]);
      expect(processedValue(route({ ...SAMPLE, device_type: 'WEB' }, rules))['device_type']).toBe('web');
    });

    it('when the minimum app version is 3.0, then 2.10.0 is rejected', () => {
      expect(route({ ...SAMPLE, app_version: '2.10.0' }, { ...DEFAULT_LOGIN_RULES, minAppVersion: '3.0' }).kind).toBe('dead-letter');
    });
  });
});
