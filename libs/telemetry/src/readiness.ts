/** Whether a part of a service can take work now, and if not, why (shown by /readyz). */
export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export const READY: Readiness = { ready: true };

export function notReady(reason: string): Readiness {
  return { ready: false, reason };
}

/** What an exactly-once stage reports: its readiness and how many input partitions it holds. */
export type StageReadiness = Readiness & { readonly partitions: number };

/**
 * A consuming service is ready when every stage is and it holds at least one input partition
 * in all: a member that the group left without partitions (more instances than partitions) does
 * no work and says so.
 */
export function servicesReadiness(stages: readonly StageReadiness[]): Readiness {
  const waiting = stages.find((s) => !s.ready);
  if (waiting !== undefined) return waiting;
  if (stages.reduce((n, s) => n + s.partitions, 0) === 0) return notReady('no input partitions assigned');
  return READY;
}
