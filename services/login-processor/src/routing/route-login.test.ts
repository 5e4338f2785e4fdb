import { DEFAULT_LOGIN_RULES, EVENT_TIME_HEADER, LINEAGE_HEADER, parseLineage } from '@login-stream/schema';
import type { LoginRules, Rejection } from '@login-stream/schema';
import { createLoginRouter } from './route-login';
import type { InputRecord, Routed } from './route-login';

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
  return createLoginRouter(rules, 'processed-logins', () => NOW)(input, batch);
}

function processedRecord(routed: Routed) {
  if (routed.kind !== 'processed') throw new Error(`expected a processed login, got ${JSON.stringify(routed.rejections)}`);
  return routed.record;
}

function processedValue(routed: Routed): Record<string, unknown> {
  return JSON.parse(String(processedRecord(routed).value)) as Record<string, unknown>;
}

function rejectionsOf(routed: Routed): readonly Rejection[] {
  if (routed.kind !== 'rejected') throw new Error(`expected a rejection, got ${String(routed.record.value)}`);
  return routed.rejections;
}

function codes(routed: Routed): Array<{ code: string; field?: string }> {
  return rejectionsOf(routed).map(({ code, field }) => ({ code, ...(field !== undefined && { field }) }));
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
      expect(String(processedRecord(routed).key)).toBe(SAMPLE.user_id);
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
      expect(parseLineage(String(processedRecord(routed).headers[LINEAGE_HEADER]))).toEqual({ topic: 'user-login', partition: 2, offset: '41' });
    });

    it('when a login is valid, then its event-time header holds its event time in epoch milliseconds', () => {
      expect(processedRecord(route(SAMPLE)).headers[EVENT_TIME_HEADER]).toBe('1694479551000');
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

  describe('rejected logins are answered with every failed rule', () => {
    it('when the bytes are {"message_id": "1", "timestamp": 1609459200 (cut off), then the rejection says NOT_JSON', () => {
      expect(codes(route(Buffer.from('{"message_id": "1", "timestamp": 1609459200')))).toEqual([{ code: 'NOT_JSON' }]);
    });

    it('when the bytes are not UTF-8, then the rejection says NOT_UTF8', () => {
      expect(codes(route(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), DEFAULT_LOGIN_RULES, null))).toEqual([{ code: 'NOT_UTF8' }]);
    });

    it('when the JSON is not an object, then the dead letter says NOT_AN_OBJECT', () => {
      expect(codes(route([SAMPLE]))).toEqual([{ code: 'NOT_AN_OBJECT' }]);
    });

    it('when device_type is missing, then the dead letter says MISSING_FIELD for device_type', () => {
      const { device_type: _dropped, ...withoutDevice } = SAMPLE;
      expect(codes(route(withoutDevice))).toEqual([{ code: 'MISSING_FIELD', field: 'device_type' }]);
    });

    it('when app_version is 2.2.9 and the minimum is 2.3.0, then the dead letter says APP_VERSION_TOO_OLD', () => {
      expect(codes(route({ ...SAMPLE, app_version: '2.2.9' }))).toEqual([{ code: 'APP_VERSION_TOO_OLD', field: 'app_version' }]);
    });

    it('when app_version is not a version, then the dead letter says INVALID_APP_VERSION', () => {
      expect(codes(route({ ...SAMPLE, app_version: 'latest' }))).toEqual([{ code: 'INVALID_APP_VERSION', field: 'app_version' }]);
    });

    it('when ip is 999.999.999.999, then the dead letter says INVALID_IP', () => {
      expect(codes(route({ ...SAMPLE, ip: '999.999.999.999' }))).toEqual([{ code: 'INVALID_IP', field: 'ip' }]);
    });

    it('when device_type is not supported, then the dead letter says UNSUPPORTED_DEVICE_TYPE', () => {
      expect(codes(route({ ...SAMPLE, device_type: 'windows-phone' }))).toEqual([
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
      expect(codes(route({ ...SAMPLE, timestamp }))).toEqual([{ code: 'INVALID_TIMESTAMP', field: 'timestamp' }]);
    });

    it('when the timestamp is far in the future, then the dead letter says TIMESTAMP_OUT_OF_RANGE', () => {
      expect(codes(route({ ...SAMPLE, timestamp: NOW / 1000 + 7 * 24 * 3600 }))).toEqual([
        { code: 'TIMESTAMP_OUT_OF_RANGE', field: 'timestamp' },
      ]);
    });

    it('when several rules fail, then every one is listed, each with a message', () => {
      const rejections = rejectionsOf(route({ ...SAMPLE, ip: 'nowhere', timestamp: -1 }));
      expect(rejections.map((e) => e.code).sort()).toEqual(['INVALID_IP', 'INVALID_TIMESTAMP']);
      for (const e of rejections) expect(e.message.length).toBeGreaterThan(0);
    });

    it('when an extra field nests 100,000 levels deep, then the rejection says NESTING_TOO_DEEP instead of the writer overflowing its stack', () => {
      const deep = Buffer.from(`{"user_id":"u","app_version":"2.3.0","device_type":"iOS","ip":"10.0.0.1","locale":"en","device_id":"d","timestamp":1694479551,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      expect(codes(route(deep))).toEqual([{ code: 'NESTING_TOO_DEEP', field: 'x' }]);
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
      expect(codes(route({ ...SAMPLE, device_type: 'iOS' }, rules))).toEqual([{ code: 'UNSUPPORTED_DEVICE_TYPE', field: 'device_type' }]);
      expect(processedValue(route({ ...SAMPLE, device_type: 'WEB' }, rules))['device_type']).toBe('web');
    });

    it('when the minimum app version is 3.0, then 2.10.0 is rejected', () => {
      expect(route({ ...SAMPLE, app_version: '2.10.0' }, { ...DEFAULT_LOGIN_RULES, minAppVersion: '3.0' }).kind).toBe('rejected');
    });
  });
});
