import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';
import type { Health } from './health';
import type { PipelineMetrics } from './pipeline-metrics';
import type { Readiness } from './readiness';

export interface OpsServerOptions {
  readonly host: string;
  /** 0 here picks a free port (tests); a service with HTTP_PORT=0 starts no server at all. */
  readonly port: number;
  readonly metrics: PipelineMetrics;
  readonly health: Health;
  readonly logger: Logger;
}

export interface OpsServer {
  /** The port it listens on. */
  readonly port: number;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function probe(res: ServerResponse, state: Readiness): void {
  const body = state.ready ? { status: 'ok' } : { status: 'unavailable', reason: state.reason };
  answer(res, state.ready ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
}

/**
 * The service's operations endpoints over HTTP:
 *   GET /metrics  Prometheus text format
 *   GET /healthz  200 while the process works, 503 once failing or shutting down
 *   GET /readyz   200 while the service can take work (its check), else 503 with the reason
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { metrics, health, logger } = options;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      answer(res, 405, 'text/plain', 'method not allowed\n');
      return;
    }
    switch (path) {
      case '/metrics':
        metrics.text().then(
          (text) => answer(res, 200, metrics.contentType, text),
          (err: unknown) => {
            logger.error({ err }, 'collecting metrics failed');
            answer(res, 500, 'text/plain', 'collecting metrics failed\n');
          },
        );
        return;
      case '/healthz':
        probe(res, health.live());
        return;
      case '/readyz':
        probe(res, health.ready());
        return;
      default:
        answer(res, 404, 'text/plain', 'not found: try /metrics, /healthz or /readyz\n');
    }
  };
  const server = createServer(handle);
  // A scrape is small and quick; a client that holds a connection open must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new LoginStreamError('CONFIG_INVALID', `Invalid configuration: HTTP_HOST/HTTP_PORT: cannot listen on ${options.host}:${options.port} (${err.code ?? err.message})`, {
          cause: err,
          details: { variables: ['HTTP_PORT', 'HTTP_HOST'] },
        }),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (err) => logger.error({ err }, 'operations HTTP server failed'));
  const { port } = server.address() as AddressInfo;
  logger.info({ host: options.host, port }, 'serving /metrics, /healthz and /readyz');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
