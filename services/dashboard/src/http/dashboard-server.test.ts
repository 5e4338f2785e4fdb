import { get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { waitUntil } from '@login-stream/kafka-testing';
import { createLogger } from '@login-stream/logger';
import { startDashboardServer } from './dashboard-server';
import type { DashboardServer } from './dashboard-server';
import { SseHub } from './sse-hub';

const logger = createLogger({ service: 'dashboard-test', level: 'silent' });
const assets = new Map([['/', { contentType: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html><title>t</title>') }]]);

/** An SSE stream's messages as they come: `{ event, data }` per blank-line-terminated block. */
function readEvents(res: IncomingMessage): { next: () => Promise<{ event?: string; data?: string; retry?: string }> } {
  const queue: Array<{ event?: string; data?: string; retry?: string }> = [];
  const waiting: Array<(m: { event?: string; data?: string; retry?: string }) => void> = [];
  let pending = '';
  res.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      if (block.startsWith(':')) continue;
      const message = Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
      const waiter = waiting.shift();
      if (waiter !== undefined) waiter(message);
      else queue.push(message);
    }
  });
  return { next: () => new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift() as never) : waiting.push(resolve))) };
}

function open(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get({ host: '127.0.0.1', port, path }, resolve).on('error', reject));
}

describe('the dashboard server', () => {
  let hub: SseHub;
  let server: DashboardServer;
  let snapshot: unknown;

  beforeEach(async () => {
    hub = new SseHub();
    snapshot = { minutes: [{ key: '1m:2026-12-01T10:00:00.000Z', logins: 7 }], hours: [] };
    server = await startDashboardServer({ host: '127.0.0.1', port: 0, assets, hub, snapshot: () => snapshot, logger });
  });

  afterEach(async () => {
    await server.close();
  });

  it('when a page connects to /events, then it gets an event stream: the retry interval, then a snapshot of the history, then every broadcast, each as event: and data: lines', async () => {
    const res = await open(server.port, '/events');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = readEvents(res);
    expect(await events.next()).toEqual({ retry: '1000' });
    const first = await events.next();
    expect(first.event).toBe('snapshot');
    expect(JSON.parse(first.data ?? '')).toEqual(snapshot);
    hub.broadcast('window', { key: '1m:2026-12-01T10:01:00.000Z', logins: 3 });
    expect(await events.next()).toEqual({ event: 'window', data: '{"key":"1m:2026-12-01T10:01:00.000Z","logins":3}' });
    res.destroy();
  });

  it('when a page disconnects mid-stream, then the hub forgets it and no keep-alive timer is left', async () => {
    const [a, b] = await Promise.all([open(server.port, '/events'), open(server.port, '/events')]);
    const events = readEvents(a);
    await events.next();
    await events.next();
    expect(hub.size).toBe(2);
    expect(hub.timerRunning).toBe(true);
    const gone = (res: IncomingMessage) => new Promise<void>((resolve) => res.once('close', () => resolve()));
    const closing = [gone(a), gone(b)];
    a.destroy();
    b.destroy();
    await Promise.all(closing);
    await waitUntil(() => hub.size === 0, { timeoutMs: 2_000, intervalMs: 10, description: 'the hub to forget both pages' });
    expect(hub.size).toBe(0);
    expect(hub.timerRunning).toBe(false);
    // Broadcasting to nobody writes nothing and throws nothing.
    hub.broadcast('tick', { atMs: 0 });
  });

  it('when the page or a health probe is asked for, then they are served; anything else is 404, and a non-GET 405', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>t</title>']);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${server.port}/../package.json`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('when the server closes with pages connected, then their streams end', async () => {
    const res = await open(server.port, '/events');
    const ended = new Promise<void>((resolve) => res.once('end', () => resolve()).resume());
    await waitUntil(() => hub.size === 1, { timeoutMs: 2_000, intervalMs: 10, description: 'the hub to hold the page' });
    await server.close();
    await ended;
    expect(hub.size).toBe(0);
    server = await startDashboardServer({ host: '127.0.0.1', port: 0, assets, hub, snapshot: () => snapshot, logger });
  });
});
