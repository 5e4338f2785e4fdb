import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
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

export interface DashboardServer {
  readonly port: number;
  close(): Promise<void>;
}

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
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new LoginStreamError('CONFIG_INVALID', `Invalid configuration: DASHBOARD_HOST/DASHBOARD_PORT: cannot listen on ${options.host}:${options.port} (${err.code ?? err.message})`, { cause: err, details: { variables: ['DASHBOARD_PORT', 'DASHBOARD_HOST'] } })),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (err) => logger.error({ err }, 'dashboard HTTP server failed'));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        hub.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
