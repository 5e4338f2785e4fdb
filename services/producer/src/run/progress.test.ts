import { createLogger } from '@login-stream/logger';
import { startProgress } from './progress';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'test', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('progress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when there is no terminal, then progress is logged now and then and the summary is a log line', () => {
    const { logger, lines } = capture();
    let counts = { sent: 0, failed: 0, malformed: 0, tooLarge: 0 };
    const progress = startProgress(() => counts, { logger, logIntervalMs: 1_000 });
    counts = { sent: 500, failed: 0, malformed: 2, tooLarge: 0 };
    jest.advanceTimersByTime(1_000);
    expect(lines.find((l) => l['msg'] === 'progress')).toMatchObject({ sent: 500, malformed: 2 });

    counts = { sent: 900, failed: 3, malformed: 2, tooLarge: 1 };
    const summary = progress.finish();
    expect(summary).toMatchObject({ sent: 900, failed: 3, malformed: 2, tooLarge: 1 });
    expect(lines.at(-1)).toMatchObject({ msg: 'summary', sent: 900, failed: 3, malformed: 2 });
  });

  it('when there is a terminal, then a live line is rewritten there and a human summary ends it', () => {
    const { logger, lines } = capture();
    let written = '';
    let counts = { sent: 0, failed: 0, malformed: 0, tooLarge: 0 };
    const progress = startProgress(() => counts, { logger, terminal: { write: (text: string) => (written += text) }, lineIntervalMs: 500 });
    counts = { sent: 12_345, failed: 0, malformed: 7, tooLarge: 0 };
    jest.advanceTimersByTime(500);
    expect(written).toMatch(/\r.*sent 12,345 .*\/s .*failed 0 .*malformed 7/);
    expect(lines.filter((l) => l['msg'] === 'progress')).toEqual([]);

    progress.finish();
    expect(written).toMatch(/done: sent 12,345 .* in \d+\.\d s\n$/);
    expect(lines.at(-1)).toMatchObject({ msg: 'summary', sent: 12_345 });
  });
});
