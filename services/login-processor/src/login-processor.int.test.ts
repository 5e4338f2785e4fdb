import { loadPipelineConfig } from '@login-stream/config';
import { createKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { pipelineEnv, TestKafka } from '@login-stream/kafka-testing';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { LoginProcessor } from './login-processor';
import { loadProcessorConfig } from './processor-config';
import { mixedLogins } from './testing/login-events';
import { actualOutputs, actualSummaries, expectedOutputs, expectedSummaries, latestSummaryPerUser, rangePerUser, singleOutputs } from './testing/pipeline-oracle';
import { settledRun } from './testing/verify-pipeline';

const logger = createLogger({ service: 'login-processor-int-test', level: 'silent' });

describe('login processor against a real broker', () => {
  const testKafka = new TestKafka();
  let processor: LoginProcessor | undefined;
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
  });
  afterAll(() => testKafka.close());

  it('when N mixed logins arrive, then valid + dead-lettered = N, each in the right topic with the right content, and summaries follow', async () => {
    const env = pipelineEnv('lp', testKafka.brokers);
    const pipeline = loadPipelineConfig(env);
    const { topics } = pipeline;
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: 6 }] });
    const logins = mixedLogins({ count: 3000, users: 40, badShare: 0.2, seed: 7 });
    const producer = await testKafka.producer();
    await producer.send({ topic: topics.userLogin, messages: logins });

    const config = loadProcessorConfig(env);
    const fatal: unknown[] = [];
    const kafka = createKafka(pipeline.kafka, logger);
    processor = new LoginProcessor({ kafka, logger, pipeline, config, onFatal: (err) => fatal.push(err) });
    await processor.start();

    const { input, processed, deadLetters, summaries } = await settledRun(testKafka.kafka, admin, topics, config.groupId);
    expect(input).toHaveLength(3000);
    expect(processed.length + deadLetters.length).toBe(3000);
    expect(deadLetters.length).toBeGreaterThan(400);

    const expected = expectedOutputs(input, topics.userLogin, DEFAULT_LOGIN_RULES);
    const actual = actualOutputs(processed, deadLetters, topics.userLogin);
    expect(singleOutputs(actual)).toEqual(expected);

    // Every processed record sits on the partition its user_id hashes to, so summaries can be per partition.
    const partitionsPerUser = new Map<string, Set<number>>();
    for (const m of processed) partitionsPerUser.set(String(m.key), (partitionsPerUser.get(String(m.key)) ?? new Set()).add(m.partition));
    for (const partitions of partitionsPerUser.values()) expect(partitions.size).toBe(1);

    const wanted = expectedSummaries(processed);
    const wantedCount = [...wanted.values()].reduce((n, l) => n + l.length, 0);
    expect(actualSummaries(summaries)).toEqual(wanted);
    expect(latestSummaryPerUser(summaries)).toEqual(rangePerUser(processed));
    expect(processor.stats.snapshot().outputs).toEqual({
      [topics.processedLogins]: processed.length,
      [topics.deadLetter]: deadLetters.length,
      [topics.userSummary]: wantedCount,
    });
    expect(fatal).toEqual([]);
  });
});
