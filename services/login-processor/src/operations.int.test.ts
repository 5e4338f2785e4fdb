import { loadPipelineConfig } from '@login-stream/config';
import { freePorts, pipelineEnv, probeStatus, scrapeMetrics, sumOf, TestKafka, waitUntil } from '@login-stream/kafka-testing';
import type { MetricSample } from '@login-stream/kafka-testing';
import { DEAD_LETTER_HEADERS } from '@login-stream/schema';
import { mixedLogins } from './testing/login-events';
import { useProcessorChildren } from './testing/processor-children';
import { settledRun } from './testing/verify-pipeline';

const SEED = 1207;
const EVENTS = 4_000;

describe('the processor’s operations endpoints during a real run', () => {
  const testKafka = new TestKafka();
  const processors = useProcessorChildren();
  afterAll(() => testKafka.close());

  it('when logins flow, then /metrics counts what read_committed consumers see, lag falls to 0 once input stops, and /readyz is 503 before the group joins and after SIGTERM, 200 between', async () => {
    const [port] = await freePorts(1);
    const env = pipelineEnv('ops', testKafka.brokers, { HTTP_PORT: String(port), TOPIC_PARTITIONS: '3' });
    const { topics } = loadPipelineConfig(env);
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
    const child = processors.start(env);

    // The server listens before the processor connects to Kafka: its first answer comes before any join.
    let first: number | 'refused' = 'refused';
    await waitUntil(async () => (first = await probeStatus(port, '/readyz')) !== 'refused', { timeoutMs: 30_000, intervalMs: 20, description: 'the HTTP server to listen' });
    expect(first).toBe(503);
    expect(await probeStatus(port, '/healthz')).toBe(200);
    await waitUntil(async () => (await probeStatus(port, '/readyz')) === 200, { timeoutMs: 60_000, description: '/readyz to turn 200' });

    process.stdout.write(`operations test: ${EVENTS} logins, seed ${SEED}\n`);
    const producer = await testKafka.producer();
    await producer.send({ topic: topics.userLogin, messages: mixedLogins({ count: EVENTS, users: 60, badShare: 0.2, seed: SEED }) });

    const admin = await testKafka.admin();
    const run = await settledRun(testKafka.kafka, admin, topics, env['CONSUMER_GROUP_ID']);
    expect(run.processed.length + run.deadLetters.length).toBe(EVENTS);

    // Lag series per partition of both stages, all at 0, once the last fetches reported the end.
    let samples: MetricSample[] = [];
    const lagOf = (stage: string) => samples.filter((s) => s.name === 'login_stream_consumer_lag_records' && s.labels['stage'] === stage);
    await waitUntil(
      async () => {
        samples = await scrapeMetrics(port);
        return ['routing', 'summary'].every((stage) => lagOf(stage).length === 3 && lagOf(stage).every((s) => s.value === 0));
      },
      { timeoutMs: 30_000, description: 'consumer lag 0 on every partition of both stages' },
    );
    expect(sumOf(samples, 'login_stream_records_in_total', { stage: 'routing', topic: topics.userLogin })).toBe(EVENTS);
    expect(sumOf(samples, 'login_stream_records_out_total', { stage: 'routing', topic: topics.processedLogins })).toBe(run.processed.length);
    expect(sumOf(samples, 'login_stream_records_out_total', { stage: 'routing', topic: topics.deadLetter })).toBe(run.deadLetters.length);
    expect(sumOf(samples, 'login_stream_records_in_total', { stage: 'summary', topic: topics.processedLogins })).toBe(run.processed.length);
    expect(sumOf(samples, 'login_stream_records_out_total', { stage: 'summary', topic: topics.userSummary })).toBe(run.summaries.length);

    const reasonsOnTopic = new Map<string, number>();
    for (const m of run.deadLetters) {
      const reason = String(m.headers[DEAD_LETTER_HEADERS.reason]);
      reasonsOnTopic.set(reason, (reasonsOnTopic.get(reason) ?? 0) + 1);
    }
    const reasonsOnMetrics = new Map(samples.filter((s) => s.name === 'login_stream_dead_letters_total').map((s) => [s.labels['reason'], s.value]));
    expect(reasonsOnTopic.size).toBeGreaterThan(3);
    expect(reasonsOnMetrics).toEqual(reasonsOnTopic);

    expect(sumOf(samples, 'login_stream_transactions_total', { stage: 'routing', outcome: 'committed' })).toBeGreaterThan(0);
    expect(sumOf(samples, 'login_stream_transaction_duration_seconds_count', { stage: 'routing' })).toBe(sumOf(samples, 'login_stream_transactions_total', { stage: 'routing' }));
    expect(sumOf(samples, 'login_stream_rebalances_total', { stage: 'routing' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(samples, 'login_stream_ready')).toBe(1);
    // The mixed logins' event times are from 2023: the event-time lag says how far behind that is.
    expect(sumOf(samples, 'login_stream_event_time_lag_seconds', { stage: 'routing' })).toBeGreaterThan(365 * 86_400);
    expect(sumOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // SIGTERM: the answers turn 503 while the processor finishes its work, before the server closes.
    const exit = child.kill('SIGTERM');
    let during: number | 'refused' = 200;
    await waitUntil(async () => (during = await probeStatus(port, '/readyz')) !== 200, { timeoutMs: 10_000, intervalMs: 5, description: '/readyz to stop answering 200' });
    expect(during).toBe(503);
    expect(await exit).toBe(0);
    expect(await probeStatus(port, '/readyz')).toBe('refused');
  }, 180_000);
});
