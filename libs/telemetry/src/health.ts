import { notReady, READY } from './readiness';
import type { Readiness } from './readiness';

/**
 * The process's health as /healthz and /readyz report it. Live until it is failing (a fatal
 * error on the way to exit) or shutting down; ready while live and the service's own check
 * passes.
 */
export class Health {
  private failure: string | undefined;
  private stopping = false;
  private check: () => Readiness = () => notReady('starting');

  /** The service's readiness check, once it has something to check. */
  setReadiness(check: () => Readiness): void {
    this.check = check;
  }

  failed(reason: string): void {
    this.failure ??= reason;
  }

  shuttingDown(): void {
    this.stopping = true;
  }

  live(): Readiness {
    if (this.failure !== undefined) return notReady(`failing: ${this.failure}`);
    if (this.stopping) return notReady('shutting down');
    return READY;
  }

  ready(): Readiness {
    const live = this.live();
    return live.ready ? this.check() : live;
  }
}
