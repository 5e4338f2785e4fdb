import { EventEmitter } from 'node:events';
import { createLogger } from '@login-stream/logger';
import { trapShutdownSignals } from './graceful-shutdown';

const logger = createLogger({ service: 'test', level: 'silent' });

function fakeProcess() {
  const emitter = new EventEmitter();
  return {
    emitter,
    processLike: {
      once: (event: string, fn: (...args: unknown[]) => void) => emitter.once(event, fn),
      removeListener: (event: string, fn: (...args: unknown[]) => void) => emitter.removeListener(event, fn),
    } as unknown as Pick<NodeJS.Process, 'once' | 'removeListener'>,
  };
}

function exitRecorder() {
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  return { exit: (code: number) => resolveExit(code), exited };
}

describe('trapShutdownSignals', () => {
  it('when SIGTERM arrives, then shutdown runs once and the process exits 0', async () => {
    const { emitter, processLike } = fakeProcess();
    const { exit, exited } = exitRecorder();
    const shutdown = jest.fn(async () => undefined);
    trapShutdownSignals({ logger, shutdown, exit, processLike });
    emitter.emit('SIGTERM', 'SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(shutdown).toHaveBeenCalledWith('SIGTERM');
  });

  it('when shutdown fails, then the process exits 1', async () => {
    const { emitter, processLike } = fakeProcess();
    const { exit, exited } = exitRecorder();
    trapShutdownSignals({ logger, shutdown: () => Promise.reject(new Error('commit failed')), exit, processLike });
    emitter.emit('SIGINT', 'SIGINT');
    await expect(exited).resolves.toBe(1);
  });

  it('when shutdown outlives the timeout, then the process exits 1 without waiting for it', async () => {
    const { emitter, processLike } = fakeProcess();
    const { exit, exited } = exitRecorder();
    trapShutdownSignals({ logger, shutdown: () => new Promise(() => undefined), exit, processLike, timeoutMs: 50 });
    emitter.emit('SIGTERM', 'SIGTERM');
    await expect(exited).resolves.toBe(1);
  });

  it('when a second signal arrives during shutdown, then the process exits 1 at once', async () => {
    const { emitter, processLike } = fakeProcess();
    const { exit, exited } = exitRecorder();
    const shutdown = jest.fn(() => new Promise<void>(() => undefined));
    trapShutdownSignals({ logger, shutdown, exit, processLike, timeoutMs: 60_000 });
    emitter.emit('SIGINT', 'SIGINT');
    emitter.emit('SIGINT', 'SIGINT');
    await expect(exited).resolves.toBe(1);
    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});
