import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoginStreamError } from '@login-stream/errors';
import type { Logger } from '@login-stream/logger';

export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The variables that set host and port, named when listening fails. */
  readonly hostVariable: string;
  readonly portVariable: string;
  readonly logger: Logger;
  /** For the log line of a failure after start: which server this is. */
  readonly what: string;
}

export interface HttpListener {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and ends every connection, idle or not, so shutdown never waits on a client. */
  close(): Promise<void>;
}

/**
 * An HTTP server of a service, listening: a port that is taken or a host that does not resolve
 * fails the start with CONFIG_INVALID naming the variables.
 */
export async function listenHttp(handle: RequestListener, options: ListenOptions): Promise<HttpListener> {
  const { host, port, hostVariable, portVariable, logger } = options;
  const server = createServer(handle);
  // Requests are small and quick; a client that holds a connection open must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new LoginStreamError('CONFIG_INVALID', `Invalid configuration: ${hostVariable}/${portVariable}: cannot listen on ${host}:${port} (${err.code ?? err.message})`, {
          cause: err,
          details: { variables: [portVariable, hostVariable] },
        }),
      );
    });
    server.listen(port, host, () => resolve());
  });
  server.on('error', (err) => logger.error({ err }, `${options.what} failed`));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
