import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HTTP_PORTS } from '@login-stream/config';
import { startScriptNodeFlags } from '@login-stream/kafka-testing';

// .env.example lists every setting; docker-compose.yml must hand each one that applies in a
// container to the services from .env, or say why not (set by compose itself, or not for there).

const ROOT = path.resolve(__dirname, '../../..');
const SET_BY_COMPOSE = ['KAFKA_BROKERS', 'HTTP_PORT', 'HTTP_HOST', 'DASHBOARD_PORT', 'DASHBOARD_HOST'];
/** The broker in the compose file is plaintext; the demo is not in it; a resumed producer run needs a fixed seed and start. */
const NOT_FOR_COMPOSE = /^(KAFKA_SSL|KAFKA_SASL_|DEMO_|PRODUCER_RESUME$)/;

describe('the compose file and .env.example', () => {
  it('when a setting is in .env.example, then docker-compose.yml passes it from .env, sets it itself, or it is one that does not apply there', () => {
    const documented = [...readFileSync(path.join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const passed = new Set([...compose.matchAll(/^\s+([A-Z][A-Z0-9_]*): \$\{\1:-[^}]*\}/gm)].map((m) => m[1]));
    const set = new Set([...compose.matchAll(/^\s+([A-Z][A-Z0-9_]*): [^$\s]/gm)].map((m) => m[1]));
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((v) => !passed.has(v) && !NOT_FOR_COMPOSE.test(v) && !(SET_BY_COMPOSE.includes(v) && set.has(v)))).toEqual([]);
  });

  it("when a service runs in compose, then node runs it with its npm start's flags (heap sizing included)", () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const commands = [...compose.matchAll(/^\s+command: (\[.*\])$/gm)].map((m) => JSON.parse(m[1]) as string[]).filter((c) => c[0] === 'node');
    const services = commands.map((c) => /^services\/([^/]+)\/dist\/main\.js$/.exec(c.find((w) => w.endsWith('dist/main.js')) ?? '')?.[1]);
    expect(services).toEqual(['producer', 'login-processor', 'insights', 'dashboard']);
    for (const [i, command] of commands.entries()) {
      const flags = command.slice(1, command.findIndex((w) => w.endsWith('dist/main.js')));
      expect([services[i], flags]).toEqual([services[i], startScriptNodeFlags(path.join(ROOT, 'services', services[i] ?? ''))]);
    }
  });

  it("when a service runs in compose, then its HTTP_PORT is the service's documented default, published as such unless moved", () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const [service, port] of Object.entries(DEFAULT_HTTP_PORTS)) {
      const block = compose.slice(compose.indexOf(`\n  ${service}:\n`), compose.indexOf('\n\n', compose.indexOf(`\n  ${service}:\n`)));
      expect([service, /HTTP_PORT: (\d+)/.exec(block)?.[1]]).toEqual([service, String(port)]);
      expect(block).toMatch(new RegExp(`"127\\.0\\.0\\.1:\\$\\{HOST_PORT_[A-Z]+:-${port}\\}:${port}"`));
    }
  });
});
