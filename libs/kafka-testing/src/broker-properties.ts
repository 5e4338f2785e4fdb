import { randomBytes } from 'node:crypto';
import { BROKER_HOST } from './ports';

export interface ServerPropertiesInput {
  brokerPort: number;
  controllerPort: number;
  logDir: string;
}

export function renderServerProperties({ brokerPort, controllerPort, logDir }: ServerPropertiesInput): string {
  return renderProperties({
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${BROKER_HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${BROKER_HOST}:${brokerPort},CONTROLLER://${BROKER_HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${BROKER_HOST}:${brokerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    // A single node: internal topics cannot ask for more replicas than exist.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'min.insync.replicas': 1,
    // Internal topics are created on first use, i.e. on the start-up path; keep them small.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Topics must be created explicitly, as in production.
    'auto.create.topics.enable': false,
  });
}

/** Logs go to a size-capped file so the broker stays silent yet failures can show its log tail. */
export function renderLog4jProperties(logFile: string): string {
  return renderProperties({
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.RollingFileAppender',
    'log4j.appender.file.File': logFile,
    'log4j.appender.file.MaxFileSize': '10MB',
    'log4j.appender.file.MaxBackupIndex': 1,
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
  });
}

function renderProperties(entries: Record<string, string | number | boolean>): string {
  // Backslashes are escapes in Java properties files (and appear in Windows paths).
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${String(value).replace(/\\/g, '\\\\')}\n`)
    .join('');
}

/** A Kafka Uuid: 16 random bytes in unpadded base64url, never starting with '-' (read as a CLI flag). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

