import { readFileSync } from 'node:fs';
import { LoginStreamError } from '@login-stream/errors';
import { z } from 'zod';
import { envBoolean, envInt, envList, envTopic } from './env-types';
import { deepFreeze, parseEnv } from './parse-env';
import type { Env } from './parse-env';

const BROKER = /^[^\s:,]+:\d{1,5}$/;

/** The record batch codecs of Kafka's protocol. */
export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number];

const pipelineEnv = {
  KAFKA_BROKERS: envList
    .default(['localhost:9092'])
    .pipe(z.array(z.string().regex(BROKER, 'expected host:port entries'))),
  KAFKA_CLIENT_ID: z.string().trim().min(1).default('login-stream'),
  KAFKA_SSL: envBoolean.default(false),
  KAFKA_SSL_CA_FILE: z.string().optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: envBoolean.default(true),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_CONNECTION_TIMEOUT_MS: envInt(100, 120_000).default(3_000),
  KAFKA_REQUEST_TIMEOUT_MS: envInt(1_000, 600_000).default(30_000),
  /**
   * How long a service rides out a broker it cannot reach (retrying with backoff, logging
   * warnings) before it exits non-zero; it carries on by itself if the broker returns sooner.
   */
  KAFKA_OUTAGE_TIMEOUT_MS: envInt(1_000, 24 * 3_600_000).default(300_000),
  /** How the services compress what they write; every codec is read whatever this says. */
  KAFKA_COMPRESSION: z.enum(COMPRESSION_CODECS).default('none'),
  TOPIC_USER_LOGIN: envTopic.default('user-login'),
  TOPIC_PROCESSED_LOGINS: envTopic.default('processed-logins'),
  TOPIC_DEAD_LETTER: envTopic.default('user-login-dlq'),
  TOPIC_USER_SUMMARY: envTopic.default('user-summary'),
  TOPIC_LOGIN_INSIGHTS: envTopic.default('login-insights'),
  /** Logins that came after their window closed, as they were processed, with the windows they missed. */
  TOPIC_LOGIN_INSIGHTS_LATE: envTopic.default('login-insights-late'),
  /**
   * Every exactly-once transaction writes a commit marker to each output partition it touched,
   * so a stage's marker writes grow with partitions²; 3 suits one small broker. Size it to the
   * consumers you run (one per partition at most) on a real cluster.
   */
  TOPIC_PARTITIONS: envInt(1, 10_000).default(3),
  /** -1 lets the broker apply its default.replication.factor. */
  TOPIC_REPLICATION_FACTOR: envInt(-1, 32).refine((n) => n !== 0, 'must be -1 or at least 1').default(-1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export type SaslSettings = {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
};

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** false, or TLS options for the connection. */
  readonly ssl: false | { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly sasl?: SaslSettings;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export interface TopicNames {
  readonly userLogin: string;
  readonly processedLogins: string;
  readonly deadLetter: string;
  readonly userSummary: string;
  readonly loginInsights: string;
  readonly loginInsightsLate: string;
}

export interface PipelineConfig {
  readonly kafka: KafkaSettings;
  /** How long a broker may stay unreachable before a service gives up and exits non-zero. */
  readonly outageTimeoutMs: number;
  readonly compression: CompressionCodec;
  readonly topics: TopicNames;
  readonly topicPartitions: number;
  readonly topicReplicationFactor: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

function configError(variables: readonly string[], message: string, cause?: unknown): LoginStreamError {
  return new LoginStreamError('CONFIG_INVALID', `Invalid configuration: ${message}`, { cause, details: { variables } });
}

function saslFrom(e: Readonly<z.infer<z.ZodObject<typeof pipelineEnv>>>): SaslSettings | undefined {
  if (e.KAFKA_SASL_MECHANISM === undefined) return undefined;
  const missing = (['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const).filter((name) => !e[name]);
  if (missing.length > 0) throw configError(missing, `${missing.join(', ')} required when KAFKA_SASL_MECHANISM is set`);
  return { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME ?? '', password: e.KAFKA_SASL_PASSWORD ?? '' };
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(['KAFKA_SSL_CA_FILE'], `KAFKA_SSL_CA_FILE: cannot read "${path}"`, err);
  }
}

/** The settings every service shares: how to reach Kafka and what the topics are called. */
export function loadPipelineConfig(env: Env = process.env): PipelineConfig {
  const e = parseEnv(pipelineEnv, env);
  const sasl = saslFrom(e);
  const ssl = e.KAFKA_SSL
    ? {
        rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED,
        ...(e.KAFKA_SSL_CA_FILE !== undefined && { ca: readCa(e.KAFKA_SSL_CA_FILE) }),
      }
    : (false as const);

  return deepFreeze({
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      ssl,
      ...(sasl !== undefined && { sasl }),
      connectionTimeoutMs: e.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
    },
    outageTimeoutMs: e.KAFKA_OUTAGE_TIMEOUT_MS,
    compression: e.KAFKA_COMPRESSION,
    topics: {
      userLogin: e.TOPIC_USER_LOGIN,
      processedLogins: e.TOPIC_PROCESSED_LOGINS,
      deadLetter: e.TOPIC_DEAD_LETTER,
      userSummary: e.TOPIC_USER_SUMMARY,
      loginInsights: e.TOPIC_LOGIN_INSIGHTS,
      loginInsightsLate: e.TOPIC_LOGIN_INSIGHTS_LATE,
    },
    topicPartitions: e.TOPIC_PARTITIONS,
    topicReplicationFactor: e.TOPIC_REPLICATION_FACTOR,
    logLevel: e.LOG_LEVEL,
  });
}
