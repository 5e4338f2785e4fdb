import { classifyFailure } from './classify';
import { LoginStreamError } from './login-stream-error';

describe('classifyFailure', () => {
  it('when a kafkajs error says it is retriable, then it is transient', () => {
    expect(classifyFailure({ name: 'KafkaJSProtocolError', type: 'NOT_LEADER_FOR_PARTITION', retriable: true })).toBe('transient');
  });

  it('when the broker reports a newer producer epoch, then it is fenced, even wrapped in retries', () => {
    const fenced = { name: 'KafkaJSProtocolError', type: 'INVALID_PRODUCER_EPOCH', retriable: false };
    expect(classifyFailure(fenced)).toBe('fenced');
    expect(classifyFailure({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, originalError: fenced })).toBe('fenced');
  });

  it('when the error is a coded fencing error, then it is fenced', () => {
    expect(classifyFailure(new LoginStreamError('PRODUCER_FENCED', 'taken over'))).toBe('fenced');
  });

  it('when the error is a bug or misconfiguration, then it is fatal', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('fatal');
    expect(classifyFailure(new LoginStreamError('CONFIG_INVALID', 'bad'))).toBe('fatal');
    expect(classifyFailure('a string')).toBe('fatal');
  });

  it('when a coded error wraps a transient cause, then the cause decides', () => {
    const err = new LoginStreamError('TRANSACTION_FAILED', 'commit failed', {
      cause: { name: 'KafkaJSConnectionError', retriable: true },
    });
    expect(classifyFailure(err)).toBe('transient');
  });
});

describe('classifyFailure while the broker is down or restarting', () => {
  it('when kafkajs cannot find the group coordinator (marked non-retriable by kafkajs), then it is transient', () => {
    expect(classifyFailure({ name: 'KafkaJSGroupCoordinatorNotFound', retriable: false, message: 'Failed to find group coordinator' })).toBe('transient');
  });

  it('when a refused connection is wrapped in a non-retriable error, then the cause makes it transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });
    expect(classifyFailure({ name: 'KafkaJSNonRetriableError', retriable: false, cause: refused })).toBe('transient');
    expect(classifyFailure({ name: 'KafkaJSNonRetriableError', retriable: false, originalError: { name: 'KafkaJSConnectionError', retriable: true } })).toBe('transient');
  });

  it('when the broker answers MESSAGE_TOO_LARGE, then it is fatal, unless the writer says its limits went stale (it reads them again)', () => {
    const tooLarge = { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false };
    expect(classifyFailure(tooLarge)).toBe('fatal');
    expect(classifyFailure(new LoginStreamError('STALE_TOPIC_LIMITS', 'limits changed', { cause: tooLarge }))).toBe('transient');
  });

  it('when a non-retriable error wraps a bug, then it stays fatal', () => {
    expect(classifyFailure({ name: 'KafkaJSNonRetriableError', retriable: false, cause: new TypeError('x is undefined') })).toBe('fatal');
    expect(classifyFailure({ name: 'KafkaJSNotImplemented', retriable: false, message: 'LZ4 compression not implemented' })).toBe('fatal');
  });

  it('when errors wrap each other in a cycle, then classifying ends', () => {
    const a: { name: string; cause?: unknown } = { name: 'KafkaJSNonRetriableError' };
    a.cause = { name: 'KafkaJSNonRetriableError', cause: a };
    expect(classifyFailure(a)).toBe('fatal');
  });
});
