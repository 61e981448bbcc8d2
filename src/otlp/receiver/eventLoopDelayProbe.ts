import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How late the event loop runs, as the load shedder reads it. Injected in tests. */
export interface EventLoopDelayProbe {
  /** Starts measuring; calling it again while started does nothing. */
  start(): void;
  /** Stops measuring and clears its timers; start() may be called again. */
  stop(): void;
  /** The mean delay over the last completed window, in ms: 0 before the first, Infinity when the loop was blocked for all of it. */
  meanDelayMs(): number;
}

/** How often the event loop is sampled, in ms (`monitorEventLoopDelay`'s resolution). */
export const EVENT_LOOP_SAMPLE_RESOLUTION_MS = 20;
/** The window the mean delay is taken over, in ms. */
export const EVENT_LOOP_WINDOW_MS = 1000;

/**
 * A probe on `node:perf_hooks` `monitorEventLoopDelay`: samples every 20 ms, and every second (on an
 * unref'd timer, so it never keeps the process alive) keeps the window's mean delay beyond the
 * sampling interval and starts a new window.
 */
export function createEventLoopDelayProbe(): EventLoopDelayProbe {
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_RESOLUTION_MS });
  let timer: NodeJS.Timeout | undefined;
  let meanMs = 0;
  return {
    start() {
      if (timer !== undefined) return;
      meanMs = 0;
      histogram.reset();
      histogram.enable();
      timer = setInterval(() => {
        // Each sample is the time between two ticks of the sampling timer, the resolution included.
        // No sample at all in a window means the loop was blocked for all of it.
        meanMs = histogram.count === 0 ? Infinity : Math.max(0, histogram.mean / 1e6 - EVENT_LOOP_SAMPLE_RESOLUTION_MS);
        histogram.reset();
      }, EVENT_LOOP_WINDOW_MS);
      timer.unref();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      histogram.disable();
      meanMs = 0;
    },
    meanDelayMs: () => meanMs,
  };
}
