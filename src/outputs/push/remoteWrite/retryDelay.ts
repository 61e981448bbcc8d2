/**
 * How long a failed batch waits before it is sent again: exponential backoff from `min_backoff`,
 * doubling per attempt up to `max_backoff`, with full jitter in its upper half (so that shards and
 * sidecars that failed together do not retry together); a receiver's `Retry-After` (seconds or an
 * HTTP date) is honoured instead when it says longer.
 */
export function retryDelayMs(attempt: number, minBackoffMs: number, maxBackoffMs: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 30));
  const backoff = ceiling / 2 + random() * (ceiling / 2);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, retryAfterMs);
}

/** A `Retry-After` header as ms from now: delay-seconds or an HTTP date; undefined when absent or not one. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
