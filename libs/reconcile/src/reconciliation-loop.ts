import type { GroupNames, TopicNames } from '@login-stream/config';
import type { Logger } from '@login-stream/logger';
import type { Admin, Kafka } from 'kafkajs';
import { reconciliationLine, verdict } from './format-report';
import { reconcile } from './reconcile';

/** The outcome of the latest check, as a live view shows it. */
export interface CheckState {
  /** OK, MISSING, DUPLICATED, …; PENDING before the first check, ERROR when it could not run. */
  readonly verdict: string;
  readonly line: string;
  readonly checkedAtMs: number;
}

export interface ReconciliationLoop {
  latest(): CheckState;
  /** Runs one more check once the one in progress is done, and returns it. */
  checkNow(): Promise<CheckState>;
  stop(): void;
}

export interface ReconciliationLoopOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topics: TopicNames;
  readonly groups: GroupNames;
  /** The pause between checks: each reads every topic from its start. */
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Told of every check's outcome. */
  readonly onCheck?: (state: CheckState) => void;
}

/** Reconciles the topics again and again, one check at a time, keeping the latest outcome. */
export function startReconciliationLoop(options: ReconciliationLoopOptions): ReconciliationLoop {
  const { kafka, admin, topics, groups, intervalMs, logger } = options;
  let latest: CheckState = { verdict: 'PENDING', line: 'reconciliation: first check in progress', checkedAtMs: Date.now() };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const once = async (): Promise<CheckState> => {
    try {
      const result = await reconcile({ kafka, admin, logger, topics, groups });
      latest = { verdict: verdict(result), line: reconciliationLine(result), checkedAtMs: Date.now() };
    } catch (err) {
      logger.warn({ err }, 'reconciliation check failed');
      latest = { verdict: 'ERROR', line: `reconciliation: could not check (${err instanceof Error ? err.message : String(err)})`, checkedAtMs: Date.now() };
    }
    options.onCheck?.(latest);
    return latest;
  };
  let running: Promise<CheckState> = Promise.resolve(latest);
  const loop = (): void => {
    running = once().finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();
  return {
    latest: () => latest,
    checkNow: async () => {
      await running.catch(() => undefined);
      return once();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
