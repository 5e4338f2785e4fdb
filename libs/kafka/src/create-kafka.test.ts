import { createLogger } from '@login-stream/logger';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './create-kafka';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'test', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const log = kafkaLogCreator(logger)();
  return { lines, log };
}

describe('kafkaLogCreator', () => {
  it('when kafkajs logs a line, then it is a pino line of the same level with component kafkajs, its message as msg and its context as fields', () => {
    const { lines, log } = capture();
    log({ namespace: 'Consumer', level: logLevel.INFO, label: 'INFO', log: { message: 'Starting', timestamp: 'x', logger: 'kafkajs', groupId: 'g' } });
    expect(lines).toEqual([expect.objectContaining({ level: 'info', component: 'kafkajs', msg: 'Starting', groupId: 'g' })]);
    expect(lines[0]).not.toHaveProperty('timestamp');
  });

  it('when the connection logs an error answer (which it throws to the request\'s sender, who retries or reports it), then the line is a warning', () => {
    const { lines, log } = capture();
    const answer = { message: 'Response AddOffsetsToTxn(key: 25, version: 1)', timestamp: 'x', logger: 'kafkajs', error: 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing', correlationId: 7 };
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: answer });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: answer.message, error: answer.error })]);
  });

  it('when kafkajs logs any other error, a connection failing included, then it stays an error', () => {
    const { lines, log } = capture();
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: { message: 'Connection error: connect ECONNREFUSED', timestamp: 'x', logger: 'kafkajs' } });
    log({ namespace: 'Consumer', level: logLevel.ERROR, label: 'ERROR', log: { message: 'Crash: KafkaJSNumberOfRetriesExceeded', timestamp: 'x', logger: 'kafkajs' } });
    expect(lines.map((l) => l['level'])).toEqual(['error', 'error']);
  });
});
