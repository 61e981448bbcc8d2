/** Random latencies and outcomes that look like a real service's. */
import { setTimeout as sleep } from 'node:timers/promises';

/** A log-normal latency in ms around `medianMs` (sigma 0.5), capped at `maxMs`. */
export function sampleLatencyMs(medianMs: number, maxMs = 10_000, random: () => number = Math.random): number {
  // Box–Muller: a standard normal from two uniforms.
  const u = Math.max(random(), Number.EPSILON);
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.min(maxMs, medianMs * Math.exp(0.5 * normal));
}

/** Waits a log-normal time around `medianMs`; with probability `slowChance` ten times that instead. */
export function simulateWork(medianMs: number, slowChance = 0.01): Promise<void> {
  const factor = Math.random() < slowChance ? 10 : 1;
  return sleep(sampleLatencyMs(medianMs * factor));
}
