import { DEFAULT_HTTP_PORTS, loadDashboardPort, loadOpsConfig } from './ops-config';

describe('the operations endpoint settings', () => {
  it('when HTTP_PORT is unset or empty, then each service takes its own default port, on every interface', () => {
    expect(loadOpsConfig('producer', {})).toEqual({ httpPort: 9400, httpHost: '0.0.0.0' });
    expect(loadOpsConfig('login-processor', { HTTP_PORT: '' })).toEqual({ httpPort: 9401, httpHost: '0.0.0.0' });
    expect(loadOpsConfig('insights', {}).httpPort).toBe(9402);
    expect(new Set(Object.values(DEFAULT_HTTP_PORTS)).size).toBe(Object.keys(DEFAULT_HTTP_PORTS).length);
  });

  it('when HTTP_PORT is 0, then the server is off; HTTP_HOST picks the interface', () => {
    expect(loadOpsConfig('insights', { HTTP_PORT: '0', HTTP_HOST: '127.0.0.1' })).toEqual({ httpPort: 0, httpHost: '127.0.0.1' });
  });

  it('when HTTP_PORT is not a port, then the start fails naming it', () => {
    expect(() => loadOpsConfig('producer', { HTTP_PORT: '70000' })).toThrow(/HTTP_PORT: .*\(got "70000"\)/);
    expect(() => loadOpsConfig('producer', { HTTP_PORT: 'metrics' })).toThrow(/HTTP_PORT: expected a whole number/);
  });

  it('when loaded, then the settings are frozen', () => {
    expect(Object.isFrozen(loadOpsConfig('producer', {}))).toBe(true);
  });
});

describe('the dashboard port', () => {
  it('when DASHBOARD_PORT is unset, then 3000; 0 asks for a free port; a non-port fails naming it', () => {
    expect(loadDashboardPort({})).toBe(3000);
    expect(loadDashboardPort({ DASHBOARD_PORT: '0' })).toBe(0);
    expect(() => loadDashboardPort({ DASHBOARD_PORT: '65536' })).toThrow(/DASHBOARD_PORT/);
  });
});
