import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@login-stream/logger';
import type { Health } from './health';
import { listenHttp } from './http-listener';
import type { HttpListener } from './http-listener';
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

export type OpsServer = HttpListener;

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
  const server = await listenHttp(handle, { host: options.host, port: options.port, hostVariable: 'HTTP_HOST', portVariable: 'HTTP_PORT', logger, what: 'operations HTTP server' });
  logger.info({ host: options.host, port: server.port }, 'serving /metrics, /healthz and /readyz');
  return server;
}
