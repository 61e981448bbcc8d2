import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Milliseconds per operation over several runs: the median, and the spread as the fastest and slowest run. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Per-operation time of each run, in run order. */
  readonly runsMs: readonly number[];
  /** Operations timed in all (warm-up not counted). */
  readonly operations: number;
  /** With `trackEventLoop`: the longest event-loop delay seen while each run's operations ran (median and worst of the runs). */
  readonly eventLoopMaxMs?: { readonly median: number; readonly max: number };
}

export interface MeasureOptions {
  /** Runs; the median is reported. */
  readonly runs: number;
  /** A run repeats the operation until its operations have taken this long... */
  readonly minRunMs: number;
  /** ...or it has done this many. */
  readonly maxOperationsPerRun: number;
  /** Untimed work before each operation (changing the values, collecting a snapshot). */
  readonly before?: () => unknown;
  /** Untimed operations before the first run. @default 1 */
  readonly warmup?: number;
  /** Watch the event loop (`monitorEventLoopDelay`, 1 ms resolution) while the operations run. */
  readonly trackEventLoop?: boolean;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Collects garbage when node runs with `--expose-gc` (between runs, so one run's garbage does not land in the next). */
export function collectGarbage(): void {
  gc?.();
  gc?.();
}

export function hasGc(): boolean {
  return gc !== undefined;
}

export async function measure(operation: () => unknown, options: MeasureOptions): Promise<Timing> {
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    await options.before?.();
    await operation();
  }
  const runsMs: number[] = [];
  const loopMax: number[] = [];
  let operations = 0;
  for (let run = 0; run < options.runs; run++) {
    collectGarbage();
    const monitor = options.trackEventLoop ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
    let spent = 0;
    let count = 0;
    while (count < options.maxOperationsPerRun && (count === 0 || spent < options.minRunMs)) {
      await options.before?.();
      if (monitor !== undefined) {
        monitor.enable();
        await sleep(5); // the monitor records a delay from its second tick on: let it tick first
      }
      const start = performance.now();
      await operation();
      spent += performance.now() - start;
      if (monitor !== undefined) {
        await sleep(2); // lets the delayed timer fire and be recorded
        monitor.disable();
      }
      count++;
    }
    operations += count;
    runsMs.push(spent / count);
    if (monitor !== undefined) loopMax.push(monitor.max / 1e6);
  }
  const timing = { ...summarize(runsMs), runsMs, operations };
  if (loopMax.length === 0) return timing;
  return { ...timing, eventLoopMaxMs: { median: median(loopMax), max: Math.max(...loopMax) } };
}

export function summarize(values: readonly number[]): { medianMs: number; minMs: number; maxMs: number } {
  return { medianMs: median(values), minMs: Math.min(...values), maxMs: Math.max(...values) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
