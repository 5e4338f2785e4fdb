export interface WaitOptions {
  /** Fails after this long with `description` in the message. */
  readonly timeoutMs: number;
  /** What is awaited, for the failure message: "3 messages on topic x". */
  readonly description: string;
}

/**
 * Resolves with `promise`, or rejects with a message naming what was awaited once the
 * timeout passes. Tests wait on events through this, never on fixed sleeps.
 */
export async function withTimeout<T>(promise: Promise<T>, options: WaitOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.description}`)), options.timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Re-checks `condition` until it holds. For state that has no event to listen to (a file
 * appearing, an offset committed by another process); polls every `intervalMs`.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions & { readonly intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.description}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
