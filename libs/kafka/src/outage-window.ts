import { LoginStreamError } from '@login-stream/errors';

export interface OutageWindowOptions {
  /** KAFKA_OUTAGE_TIMEOUT_MS: how long transient failures may go on before giving up. */
  readonly limitMs: number;
  /** Names the work in the error given up with, e.g. "stage routing". */
  readonly what: string;
  readonly clock?: () => number;
  readonly firstBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export type OutageStep = { readonly retryInMs: number; readonly downMs: number } | { readonly giveUp: LoginStreamError };

/**
 * How a service rides out a broker it cannot reach: every transient failure since the last
 * success is part of one outage, retried after a doubling backoff, until the outage has lasted
 * `limitMs`; then the work gives up with BROKER_UNREACHABLE naming the limit. Whether a failure
 * is transient is classifyFailure's to say; this only keeps time.
 */
export class OutageWindow {
  private since: number | undefined;
  private attempts = 0;
  private readonly clock: () => number;

  constructor(private readonly options: OutageWindowOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** A transient failure happened now. */
  failed(cause: unknown): OutageStep {
    const now = this.clock();
    this.since ??= now;
    const downMs = now - this.since;
    const { limitMs, what } = this.options;
    if (downMs >= limitMs) {
      return {
        giveUp: new LoginStreamError('BROKER_UNREACHABLE', `${what} could not work with Kafka for ${downMs} ms, the most KAFKA_OUTAGE_TIMEOUT_MS (${limitMs}) allows`, {
          cause,
          details: { downMs, limitMs },
        }),
      };
    }
    const first = this.options.firstBackoffMs ?? 500;
    const retryInMs = Math.min(this.options.maxBackoffMs ?? 10_000, first * 2 ** this.attempts++, limitMs - downMs);
    return { retryInMs, downMs };
  }

  /** The work succeeded: any outage is over. */
  recovered(): void {
    this.since = undefined;
    this.attempts = 0;
  }
}
