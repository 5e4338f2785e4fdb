import type { ServerResponse } from 'node:http';

/** How often an idle stream gets a comment line, so proxies and the browser keep it open. */
const KEEP_ALIVE_MS = 15_000;

/** One Server-Sent Events message: `event:` and `data:` lines, then a blank line. */
export function sseMessage(event: string, data: unknown): string {
  // JSON has no raw newlines, so the data is one `data:` line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The connected pages. Each gets `first` when it connects, then every broadcast. A client that
 * goes away is forgotten at once; the keep-alive timer runs only while someone is connected.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private keepAlive: NodeJS.Timeout | undefined;

  get size(): number {
    return this.clients.size;
  }

  /** Whether the keep-alive timer is running (tests check nothing is left behind). */
  get timerRunning(): boolean {
    return this.keepAlive !== undefined;
  }

  add(res: ServerResponse, first: string): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // A reconnecting EventSource waits this long (ms) before trying again.
    res.write('retry: 1000\n\n');
    res.write(first);
    this.clients.add(res);
    res.on('close', () => this.remove(res));
    this.keepAlive ??= setInterval(() => this.send(': keep-alive\n\n'), KEEP_ALIVE_MS);
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size > 0) this.send(sseMessage(event, data));
  }

  /** Ends every stream (the server is stopping). */
  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopTimer();
  }

  private send(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  private remove(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}
