import { rawLoginSchema } from './raw-login';

describe('raw login wire shape', () => {
  it('when the reference sample arrives, then the wire schema accepts it', () => {
    const sample = {
      user_id: '424cdd21-063a-43a7-b91b-7ca1a833afae',
      app_version: '2.3.0',
      device_type: 'android',
      ip: '199.172.111.135',
      locale: 'RU',
      device_id: '593-47-5928',
      timestamp: '1694479551',
    };
    expect(rawLoginSchema.parse(sample)).toEqual(sample);
  });

  it('when fields are missing or extra, then the wire schema still accepts it and keeps extras', () => {
    expect(rawLoginSchema.parse({ timestamp: 1, extra: true })).toEqual({ timestamp: 1, extra: true });
  });

  it('when timestamp is neither number nor string, then the wire schema rejects it', () => {
    expect(rawLoginSchema.safeParse({ timestamp: {} }).success).toBe(false);
  });
});
