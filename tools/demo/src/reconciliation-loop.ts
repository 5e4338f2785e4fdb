import type { GroupNames, TopicNames } from '@login-stream/config';
import type { Logger } from '@login-stream/logger';
import { reconcile, reconciliationLine } from '@login-stream/reconcile';
import type { Admin, Kafka } from 'kafkajs';

export interface ReconciliationLoop {
  /** The latest check's line, or what it is waiting for. */
  line(): string;
  /** Runs one more check now (after the one in progress) and returns its line. */
  checkNow(): Promise<string>;
  stop(): void;
}

/** Reconciles the demo's topics every `intervalMs`, one check at a time, keeping the latest line. */
export function startReconciliationLoop(kafka: Kafka, admin: Admin, topics: TopicNames, groups: GroupNames, intervalMs: number, logger: Logger): ReconciliationLoop {
  let latest = 'reconciliation: first check in progress';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<string> = Promise.resolve(latest);
  const once = async (): Promise<string> => {
    try {
      latest = reconciliationLine(await reconcile({ kafka, admin, logger, topics, groups }));
    } catch (err) {
      latest = `reconciliation: could not check (${err instanceof Error ? err.message : String(err)})`;
    }
    return latest;
  };
  const loop = (): void => {
    running = once().finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();
  return {
    line: () => latest,
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
