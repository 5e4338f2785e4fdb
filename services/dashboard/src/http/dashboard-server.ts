import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@login-stream/logger';
import { listenHttp } from '@login-stream/telemetry';
import type { HttpListener } from '@login-stream/telemetry';
import type { Asset } from './static-assets';
import { sseMessage } from './sse-hub';
import type { SseHub } from './sse-hub';

export interface DashboardServerOptions {
  readonly host: string;
  readonly port: number;
  readonly assets: ReadonlyMap<string, Asset>;
  readonly hub: SseHub;
  /** What a page gets first when it connects: everything it shows. */
  readonly snapshot: () => unknown;
  readonly logger: Logger;
}

export type DashboardServer = HttpListener;

/** The page and its assets, `GET /events` (Server-Sent Events) and `GET /healthz`. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { assets, hub, logger } = options;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const route = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (route === '/events') {
      hub.add(res, sseMessage('snapshot', options.snapshot()));
      return;
    }
    if (route === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
      return;
    }
    const asset = assets.get(route);
    if (asset === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length, 'cache-control': 'no-cache' }).end(asset.body);
  };
  const server = await listenHttp(handle, { host: options.host, port: options.port, hostVariable: 'DASHBOARD_HOST', portVariable: 'DASHBOARD_PORT', logger, what: 'dashboard HTTP server' });
  return {
    port: server.port,
    close: () => {
      // The page streams end first, so their clients see the end of the stream.
      hub.closeAll();
      return server.close();
    },
  };
}
