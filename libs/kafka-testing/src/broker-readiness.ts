import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { exitOf } from './broker-process';

/**
 * Ready means a client can fetch metadata and the group and transaction coordinators answer:
 * their internal topics are created on first use, which would otherwise land in the first test.
 */
export async function waitUntilReady(bootstrapServers: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  const died = exitOf(child).then(() => {
    throw new Error(`the JVM exited (code ${child.exitCode}, signal ${child.signalCode})`);
  });
  died.catch(() => undefined); // only the race below cares, and only until it settles
  try {
    await Promise.race([probeUntilReady(bootstrapServers, abort.signal), died, timedOut]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function probeUntilReady(bootstrapServers: string, signal: AbortSignal): Promise<void> {
  const client = (retries: number): Kafka =>
    new Kafka({
      clientId: 'kafka-testing-readiness',
      brokers: [bootstrapServers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { initialRetryTime: 50, maxRetryTime: 1_000, retries },
    });

  const probe = client(0);
  for (let backoff = 50; !(await clusterAnswers(probe)); backoff = Math.min(backoff * 2, 500)) {
    await delay(backoff, undefined, { signal });
  }
  if (signal.aborted) return;

  // Coordinator lookups are answered "not available" until the internal topic exists; kafkajs retries.
  const warm = client(20);
  const producer = warm.producer({ transactionalId: 'kafka-testing-readiness', idempotent: true, maxInFlightRequests: 1 });
  const admin = warm.admin();
  try {
    await producer.connect();
    await (await producer.transaction()).abort();
    await admin.connect();
    await admin.describeGroups(['kafka-testing-readiness']);
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

async function clusterAnswers(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

