import { loadPipelineConfig } from '@login-stream/config';
import { pipelineEnv, TestKafka } from '@login-stream/kafka-testing';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { mixedLogins } from './testing/login-events';
import { actualOutputs, actualSummaries, expectedOutputs, expectedSummaries, latestSummaryPerUser, singleOutputs } from './testing/pipeline-oracle';
import type { LogLine, ProcessorChild } from './testing/processor-child';
import { useProcessorChildren } from './testing/processor-children';
import { settledRun } from './testing/verify-pipeline';

const EVENTS = 6_000;
const routingPartitions = (line: LogLine) => (line.msg === 'partitions assigned' && line['stage'] === 'routing' ? (line['partitions'] as number[]) : undefined);

describe('scale-out', () => {
  const testKafka = new TestKafka();
  const processors = useProcessorChildren();
  afterAll(() => testKafka.close());

  it('when two instances share the group, then they split the partitions and their outputs are the same as one instance’s', async () => {
    const input = await testKafka.createTopic('scale-login', 6);
    const one = pipelineEnv('one', testKafka.brokers, { TOPIC_USER_LOGIN: input });
    const two = pipelineEnv('two', testKafka.brokers, { TOPIC_USER_LOGIN: input });
    const topicsOne = loadPipelineConfig(one).topics;
    const topicsTwo = loadPipelineConfig(two).topics;
    for (const t of [topicsOne, topicsTwo]) for (const name of [t.processedLogins, t.deadLetter, t.userSummary]) testKafka.own(name);

    const [first, second] = [processors.start(two), processors.start(two)];
    // Input is produced only once the two instances hold three routing partitions each.
    await Promise.all(
      [first, second].map((child) => child.waitForLog((l) => routingPartitions(l)?.length === 3, 'three routing partitions for each instance')),
    );
    const producer = await testKafka.producer();
    await producer.send({ topic: input, messages: mixedLogins({ count: EVENTS, users: 50, badShare: 0.15, seed: 99 }) });

    processors.start(one);

    const admin = await testKafka.admin();
    const [runOne, runTwo] = await Promise.all([
      settledRun(testKafka.kafka, admin, topicsOne, one['CONSUMER_GROUP_ID']),
      settledRun(testKafka.kafka, admin, topicsTwo, two['CONSUMER_GROUP_ID']),
    ]);

    const outputsOne = singleOutputs(actualOutputs(runOne.processed, runOne.deadLetters, input));
    const outputsTwo = singleOutputs(actualOutputs(runTwo.processed, runTwo.deadLetters, input));
    expect(outputsOne.size).toBe(EVENTS);
    expect(outputsTwo).toEqual(outputsOne);
    expect(outputsOne).toEqual(expectedOutputs(runOne.input, input, DEFAULT_LOGIN_RULES));
    // Summaries: each run's are exactly its transitions, and both end in the same state per user.
    expect(actualSummaries(runTwo.summaries)).toEqual(expectedSummaries(runTwo.processed));
    expect(latestSummaryPerUser(runTwo.summaries)).toEqual(latestSummaryPerUser(runOne.summaries));

    // Both instances did part of the work: each committed records under its own stats.
    const outputsOf = async (child: ProcessorChild) => {
      await child.kill('SIGTERM');
      const stats = child.lines.filter((l) => l.msg === 'stats').pop();
      return (stats?.['outputs'] as Record<string, number> | undefined)?.[topicsTwo.processedLogins] ?? 0;
    };
    const [byFirst, bySecond] = await Promise.all([outputsOf(first), outputsOf(second)]);
    expect(byFirst).toBeGreaterThan(0);
    expect(bySecond).toBeGreaterThan(0);
    expect(byFirst + bySecond).toBe(runTwo.processed.length);
  }, 240_000);
});
