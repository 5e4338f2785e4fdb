import { LoginStreamError } from '@login-stream/errors';
import { createLogger } from '@login-stream/logger';
import type { Admin } from 'kafkajs';
import { ensureTopics } from './ensure-topics';

// The broker's side of topic creation, scripted: what each call answers, in order. The race
// between services and the broker's real answers are in kafka.int.test.ts; here are the answers
// a loaded broker gives only now and then.

const logger = createLogger({ service: 'test', level: 'silent' });
const SPEC = { name: 't', partitions: 2, replicationFactor: -1 };

/** kafkajs' protocol errors as it throws them: `retriable` says whether a retry may help. */
function protocolError(message: string, retriable: boolean): Error {
  return Object.assign(new Error(message), { name: 'KafkaJSProtocolError', retriable });
}

interface ScriptedAdmin {
  readonly admin: Admin;
  readonly calls: string[];
}

/** An admin whose createTopics answers `creates` in turn, and whose metadata shows leaders from the `leadersFrom`-th look. */
function scriptedAdmin(creates: ReadonlyArray<Error | boolean>, leadersFrom = 0): ScriptedAdmin {
  const calls: string[] = [];
  let created = false;
  let looks = 0;
  const admin = {
    listTopics: async () => (created ? [SPEC.name] : []),
    createTopics: async () => {
      calls.push('create');
      const answer = creates[calls.filter((c) => c === 'create').length - 1] ?? true;
      if (answer instanceof Error) throw answer;
      created = true;
      return answer;
    },
    fetchTopicMetadata: async () => {
      calls.push('metadata');
      const leader = looks++ >= leadersFrom ? 1 : -1;
      return { topics: [{ name: SPEC.name, partitions: [0, 1].map((partitionId) => ({ partitionId, leader })) }] };
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

describe('ensureTopics', () => {
  it('when the create answers a retriable error (a loaded broker), then it creates again and returns once the partitions have leaders', async () => {
    const { admin, calls } = scriptedAdmin([protocolError('The request timed out', true)], 1);
    await expect(ensureTopics(admin, [SPEC], { logger, timeoutMs: 5_000 })).resolves.toBeUndefined();
    expect(calls).toEqual(['create', 'create', 'metadata', 'metadata']);
  });

  it('when the create fails on a lost connection that kafkajs reports as non-retriable (retries exceeded), then it is transient by the pipeline\'s one rule and created again', async () => {
    const refused = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true });
    const exceeded = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, cause: refused });
    const { admin, calls } = scriptedAdmin([exceeded]);
    await expect(ensureTopics(admin, [SPEC], { logger, timeoutMs: 5_000 })).resolves.toBeUndefined();
    expect(calls).toEqual(['create', 'create', 'metadata']);
  });

  it('when the metadata of a just-created topic answers a retriable error, then it looks again instead of failing', async () => {
    const { admin, calls } = scriptedAdmin([true]);
    let first = true;
    const fetchTopicMetadata = admin.fetchTopicMetadata.bind(admin);
    admin.fetchTopicMetadata = async (request) => {
      if (!first) return fetchTopicMetadata(request);
      first = false;
      throw protocolError('This server does not host this topic-partition', true);
    };
    await expect(ensureTopics(admin, [SPEC], { logger, timeoutMs: 5_000 })).resolves.toBeUndefined();
    expect(calls).toEqual(['create', 'metadata']);
  });

  it('when the create answers an error a retry cannot mend, then it fails at once with TOPIC_SETUP_FAILED and that error as cause', async () => {
    const denied = protocolError('Not authorized to access topics', false);
    const { admin, calls } = scriptedAdmin([denied]);
    const failure = await ensureTopics(admin, [SPEC], { logger, timeoutMs: 60_000 }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(LoginStreamError);
    expect(failure).toMatchObject({ code: 'TOPIC_SETUP_FAILED', cause: denied });
    expect(calls).toEqual(['create']);
  });

  it('when the partitions get no leader within the time given, then it fails with TOPIC_SETUP_FAILED naming the topic and its leaderless partitions', async () => {
    const { admin } = scriptedAdmin([true], Number.POSITIVE_INFINITY);
    await expect(ensureTopics(admin, [SPEC], { logger, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TOPIC_SETUP_FAILED',
      message: 'topic t has partitions without a leader',
      details: { topic: 't', leaderless: [0, 1] },
    });
  });
});
