import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `check` every `intervalMs` until it returns something other than undefined, and returns
 * that; fails with `what` after `timeoutMs`.
 */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}
