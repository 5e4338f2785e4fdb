import type { Logger } from '@login-stream/logger';

export interface ProgressCounts {
  readonly sent: number;
  readonly failed: number;
  readonly malformed: number;
  /** Larger than the topic's max.message.bytes: not sent, each logged. */
  readonly tooLarge: number;
}

export interface RunSummary extends ProgressCounts {
  readonly elapsedMs: number;
  /** Acknowledged messages per second over the whole run. */
  readonly eventsPerSecond: number;
}

/** Where the live line goes: stderr when it is a terminal. */
export interface Terminal {
  write(text: string): unknown;
}

export interface ProgressOptions {
  readonly logger: Logger;
  readonly terminal?: Terminal;
  readonly lineIntervalMs?: number;
  readonly logIntervalMs?: number;
}

const formatCount = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CLEAR_LINE = '\r\x1b[2K';

function describe(counts: ProgressCounts, rate: number): string {
  const tooLarge = counts.tooLarge > 0 ? `  too large ${formatCount.format(counts.tooLarge)}` : '';
  return `sent ${formatCount.format(counts.sent)}  ${formatCount.format(rate)}/s  failed ${formatCount.format(counts.failed)}  malformed ${formatCount.format(counts.malformed)}${tooLarge}`;
}

export interface Progress {
  /** Stops reporting and reports the summary: a log line, and a human line on the terminal. */
  finish(): RunSummary;
}

/**
 * Reports `read()` while a run goes on: a live line rewritten on a terminal, otherwise a
 * structured log line now and then.
 */
export function startProgress(read: () => ProgressCounts, options: ProgressOptions): Progress {
  const { logger, terminal } = options;
  const startedAt = performance.now();
  let last = { at: startedAt, sent: 0 };
  const rateSinceLast = (counts: ProgressCounts): number => {
    const now = performance.now();
    const rate = ((counts.sent - last.sent) * 1000) / Math.max(1, now - last.at);
    last = { at: now, sent: counts.sent };
    return rate;
  };
  const timer =
    terminal !== undefined
      ? setInterval(() => {
          const counts = read();
          terminal.write(`${CLEAR_LINE}${describe(counts, rateSinceLast(counts))}`);
        }, options.lineIntervalMs ?? 500)
      : setInterval(() => {
          const counts = read();
          logger.info({ ...counts, eventsPerSecond: Math.round(rateSinceLast(counts)) }, 'progress');
        }, options.logIntervalMs ?? 10_000);
  timer.unref();

  return {
    finish() {
      clearInterval(timer);
      const counts = read();
      const elapsedMs = Math.round(performance.now() - startedAt);
      const summary = { ...counts, elapsedMs, eventsPerSecond: Math.round((counts.sent * 1000) / Math.max(1, elapsedMs)) };
      logger.info(summary, 'summary');
      terminal?.write(`${CLEAR_LINE}done: ${describe(counts, summary.eventsPerSecond)} (average) in ${(elapsedMs / 1000).toFixed(1)} s\n`);
      return summary;
    },
  };
}
