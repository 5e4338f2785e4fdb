import { setTimeout as delay } from 'node:timers/promises';
import { loadPipelineConfig } from '@login-stream/config';
import { pipelineEnv, TestKafka, waitUntil } from '@login-stream/kafka-testing';
import { DEFAULT_LOGIN_RULES } from '@login-stream/schema';
import { mixedLogins } from './testing/login-events';
import { actualOutputs, actualSummaries, expectedOutputs, expectedSummaries, latestSummaryPerUser, rangePerUser, singleOutputs } from './testing/pipeline-oracle';
import { useProcessorChildren } from './testing/processor-children';
import { committedInput } from './testing/group-progress';
import { settledRun } from './testing/verify-pipeline';

const ROUNDS = 4;
const CHUNK = 200;

describe('exactly once across SIGKILL', () => {
  const testKafka = new TestKafka();
  const processors = useProcessorChildren();
  afterAll(() => testKafka.close());

  it('when the processor is SIGKILLed at random moments while input flows and is restarted, then every input offset appears exactly once across processed-logins and the DLQ, and the summaries are consistent', async () => {
    const env = pipelineEnv('crash', testKafka.brokers);
    const groupId = env['CONSUMER_GROUP_ID'];
    const { topics } = loadPipelineConfig(env);
    for (const t of [topics.userLogin, topics.processedLogins, topics.deadLetter, topics.userSummary]) testKafka.own(t);
    const admin = await testKafka.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.userLogin, numPartitions: 6 }] });
    const producer = await testKafka.producer();
    const logins = mixedLogins({ count: 100_000, users: 80, badShare: 0.1, seed: 20240101 });

    // Input keeps flowing, ~2,000 logins/s, until the last instance has been killed.
    let sent = 0;
    let killing = true;
    const feeding = (async () => {
      while (killing && sent < logins.length) {
        await producer.send({ topic: topics.userLogin, messages: logins.slice(sent, sent + CHUNK) });
        sent += CHUNK;
        await delay(100);
      }
    })();

    for (let round = 1; round <= ROUNDS; round++) {
      const before = await committedInput(admin, groupId, topics.userLogin);
      const child = processors.start(env);
      await child.waitUntilReady();
      // Each instance does real work before it dies, so recovery has something to get right...
      await waitUntil(async () => (await committedInput(admin, groupId, topics.userLogin)) > before, {
        timeoutMs: 30_000,
        description: `round ${round}: the instance to commit its first batch`,
      });
      // ...and dies at a random point of what follows: the moment is the experiment's variable.
      await delay(Math.floor(Math.random() * 1_000));
      await child.kill('SIGKILL');
    }
    killing = false;
    await feeding;

    const survivor = processors.start(env);
    const run = await settledRun(testKafka.kafka, admin, topics, groupId);

    expect(run.input).toHaveLength(sent);
    const actual = actualOutputs(run.processed, run.deadLetters, topics.userLogin);
    expect(singleOutputs(actual)).toEqual(expectedOutputs(run.input, topics.userLogin, DEFAULT_LOGIN_RULES));
    expect(run.processed.length + run.deadLetters.length).toBe(sent);

    // The summaries are exactly the transitions replayed over processed-logins: none repeated
    // by a restart (an unchanged range is never re-emitted), none forgotten.
    expect(actualSummaries(run.summaries)).toEqual(expectedSummaries(run.processed));
    expect(latestSummaryPerUser(run.summaries)).toEqual(rangePerUser(run.processed));

    expect(await survivor.kill('SIGTERM')).toBe(0);
  }, 300_000);
});
