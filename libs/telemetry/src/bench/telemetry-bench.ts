import { PipelineMetrics } from '../pipeline-metrics';
import { StageMetrics } from '../stage-metrics';

/**
 * `npm run bench:telemetry`: what the metrics cost the processor, piece by piece, at the rate
 * `npm run bench:processor` reaches. End-to-end pairs of that bench (metrics on and off) differ
 * run to run by more than the effect; these figures bound it:
 *   per batch:  the stage's calls on a committed transaction (counters, histogram, lag);
 *   per scrape: rendering /metrics with the processor's series.
 * What Node's process metrics cost in the background (a GC observer, an event-loop delay
 * histogram) is left to the end-to-end pairs (`BENCH_METRICS=compare npm run bench:processor`),
 * which on a 2-core machine shared with the broker vary by more than 10 % from run to run.
 */
const BATCHES = 1_000_000;
const SCRAPES = 2_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function perBatch(): number {
  const metrics = new PipelineMetrics();
  const routing = new StageMetrics(metrics, 'routing');
  routing.assigned('user-login', [0, 1, 2]);
  const work = { inputTopic: 'user-login', inputRecords: 500, outputs: new Map([['processed-logins', 475], ['user-login-dlq', 25]]), deadLetters: new Map([['INVALID_JSON', 25]]), seconds: 0.02, lastEventTimeMs: Date.now() };
  const started = performance.now();
  for (let i = 0; i < BATCHES; i++) {
    routing.committed(work);
    routing.lag('user-login', i % 3, i & 1023);
  }
  return ((performance.now() - started) * 1e6) / BATCHES;
}

async function perScrape(): Promise<number> {
  const metrics = new PipelineMetrics();
  metrics.reportReadiness(() => ({ ready: true }));
  for (const stage of ['routing', 'summary']) {
    const m = new StageMetrics(metrics, stage);
    m.assigned('t', [0, 1, 2]);
    for (let p = 0; p < 3; p++) m.lag('t', p, 10);
    m.committed({ inputTopic: 't', inputRecords: 1, outputs: new Map([['a', 1], ['b', 1]]), deadLetters: new Map([['INVALID_JSON', 1], ['MISSING_FIELD', 1], ['INVALID_TIMESTAMP', 1]]), seconds: 0.01, lastEventTimeMs: Date.now() });
    m.aborted(0.1);
  }
  await metrics.text();
  const started = performance.now();
  for (let i = 0; i < SCRAPES; i++) await metrics.text();
  return (performance.now() - started) / SCRAPES;
}

async function main(): Promise<void> {
  const batchNs = perBatch();
  say(`per batch: ${batchNs.toFixed(0)} ns for a committed transaction's counters, histogram and lag`);
  const scrapeMs = await perScrape();
  say(`per scrape: ${scrapeMs.toFixed(3)} ms to render /metrics (process metrics and both stages' series)`);
  // At the processor bench's figures: ~60,000 events/s over two instances, ~26 CPU µs per event.
  const eventsPerSecond = 60_000;
  const cpuMicrosPerEvent = 26;
  for (const eventsPerBatch of [100, 1_000]) {
    const ourMicros = batchNs / 1_000 / eventsPerBatch + (2 * scrapeMs * 1_000) / eventsPerSecond;
    say(`share at ${eventsPerSecond.toLocaleString('en-US')} events/s, ${eventsPerBatch} events per batch, a scrape a second per instance: ${ourMicros.toFixed(3)} µs per event = ${((ourMicros / cpuMicrosPerEvent) * 100).toFixed(2)} % of ${cpuMicrosPerEvent} CPU µs per event`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
