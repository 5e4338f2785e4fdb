import type { KafkaSettings } from '@login-stream/config';
import type { Logger } from '@login-stream/logger';
import { Kafka, logLevel } from 'kafkajs';
import type { LogEntry, SASLOptions } from 'kafkajs';
import { assertKafkajsPatched } from './kafkajs-patch';

const PINO_LEVEL: Record<logLevel, 'error' | 'warn' | 'info' | 'debug' | undefined> = {
  [logLevel.NOTHING]: undefined,
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A broker's error answer as kafkajs' connection logs it, before it throws the same error to
 * whoever sent the request. That caller decides: kafkajs retries the retriable answers (not the
 * leader, CONCURRENT_TRANSACTIONS, …) and ours reach our code, which logs what it gives up on.
 * At error level these lines would report failures that were recovered.
 */
function isAnswerThrownToCaller(namespace: string, message: string): boolean {
  return namespace === 'Connection' && message.startsWith('Response ');
}

/** Routes kafkajs' own log lines into the service's pino logger as `component: kafkajs`. */
export function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      let pinoLevel = PINO_LEVEL[level];
      if (pinoLevel === undefined) return;
      const { message, timestamp: _kafkajsTime, logger: _name, ...context } = log;
      if (pinoLevel === 'error' && isAnswerThrownToCaller(namespace, message)) pinoLevel = 'warn';
      kafkaLogger[pinoLevel](context, message);
    };
}

function toKafkaLogLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case 'debug':
    case 'trace':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

function toSasl(settings: KafkaSettings): SASLOptions | undefined {
  const { sasl } = settings;
  if (sasl === undefined) return undefined;
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/** One kafkajs client per process, configured from the shared settings; only on a patched kafkajs. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  assertKafkajsPatched();
  const sasl = toSasl(settings);
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl === false ? false : { ...settings.ssl },
    ...(sasl !== undefined && { sasl }),
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    logLevel: toKafkaLogLevel(logger),
    logCreator: kafkaLogCreator(logger),
  });
}
