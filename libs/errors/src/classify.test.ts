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
