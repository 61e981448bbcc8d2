import { createEventLoopDelayProbe, type EventLoopDelayProbe } from './eventLoopDelayProbe.ts';
import { DEFAULT_MAX_EVENT_LOOP_DELAY_MS, DEFAULT_MAX_IN_FLIGHT_REQUESTS } from './receiverDefaults.ts';

export interface LoadShedderOptions {
  /**
   * Most OTLP/HTTP export requests in flight at once, each counted from its headers until its
   * answer is sent or its connection closes (so slow uploads, holding memory, count). The next one
   * is refused. @default 64
   */
  readonly maxInFlightRequests?: number;
  /** New exports are refused while the event loop's mean delay over the last second is above this, in ms. @default 1000 */
  readonly maxEventLoopDelayMs?: number;
  /** Measures the event loop's delay. @default createEventLoopDelayProbe() (`monitorEventLoopDelay`, 20 ms, 1 s windows) */
  readonly eventLoopDelay?: EventLoopDelayProbe;
}

/** Whether an OTLP/HTTP export request may go on; an admitted one is in flight until `release()`. */
export type Admission = { readonly admitted: true; readonly release: () => void } | { readonly admitted: false; readonly reason: string };

/**
 * Refuses new OTLP exports while the bridge is overloaded, before their bodies are read, so that
 * clients retry later (HTTP 503 with `Retry-After`, gRPC UNAVAILABLE): when too many OTLP/HTTP
 * export requests are in flight, or when the event loop lags. One shedder is shared by both
 * receivers; `start()` and `stop()` run its event-loop probe.
 */
export class LoadShedder {
  readonly #maxInFlight: number;
  readonly #maxDelayMs: number;
  readonly #probe: EventLoopDelayProbe;
  #inFlight = 0;

  /** Throws at once on a wrong option, naming it, its value and what is allowed. */
  constructor(options: LoadShedderOptions = {}) {
    const maxInFlight = options.maxInFlightRequests ?? DEFAULT_MAX_IN_FLIGHT_REQUESTS;
    if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`LoadShedder option maxInFlightRequests must be a whole number of requests, at least 1; got ${String(maxInFlight)}.`);
    }
    const maxDelayMs = options.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS;
    if (typeof maxDelayMs !== 'number' || !(maxDelayMs > 0) || !Number.isFinite(maxDelayMs)) {
      throw new RangeError(`LoadShedder option maxEventLoopDelayMs must be a positive number of milliseconds; got ${String(maxDelayMs)}.`);
    }
    this.#maxInFlight = maxInFlight;
    this.#maxDelayMs = maxDelayMs;
    this.#probe = options.eventLoopDelay ?? createEventLoopDelayProbe();
  }

  /** Starts measuring the event loop's delay (its timer is unref'd). */
  start(): void {
    this.#probe.start();
  }

  /** Stops measuring and clears the probe's timers; start() may be called again. */
  stop(): void {
    this.#probe.stop();
  }

  /** OTLP/HTTP export requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * An OTLP/HTTP export request arrives (its headers read): refused when the bridge is overloaded,
   * otherwise counted in flight until `release()` (which may be called more than once).
   */
  admit(): Admission {
    const reason = this.overloadReason();
    if (reason !== undefined) return { admitted: false, reason };
    this.#inFlight++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
      },
    };
  }

  /**
   * Why a new export must be refused now (OTLP/gRPC asks this; OTLP/HTTP through `admit()`): the
   * HTTP requests in flight are at the limit, or the event loop lags. Undefined when it may go on.
   */
  overloadReason(): string | undefined {
    if (this.#inFlight >= this.#maxInFlight) {
      return `the bridge is overloaded: ${this.#inFlight} OTLP/HTTP export requests are in progress (maxInFlightRequests is ${this.#maxInFlight}); retry later`;
    }
    const delayMs = this.#probe.meanDelayMs();
    if (delayMs > this.#maxDelayMs) {
      const shown = Number.isFinite(delayMs) ? `${Math.round(delayMs)} ms on average` : 'for the whole last second';
      return `the bridge is overloaded: its event loop lags ${shown} (maxEventLoopDelayMs is ${this.#maxDelayMs}); retry later`;
    }
    return undefined;
  }
}
