import { createEventLoopDelayProbe, type EventLoopDelayProbe } from './eventLoopDelayProbe.ts';
import { DEFAULT_MAX_EVENT_LOOP_DELAY_MS, DEFAULT_MAX_IN_FLIGHT_REQUESTS } from '../../config/defaults.ts';

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

/** Why a new export is refused: the bridge is overloaded, or it is draining before it stops. */
export type RefusalCause = 'overloaded' | 'draining';

/** A refused export: why (the `outcome` label) and a sentence for the client. */
export interface ExportRefusal {
  readonly cause: RefusalCause;
  readonly reason: string;
}

/** Whether an OTLP/HTTP export request may go on; an admitted one is in flight until `release()`. */
export type Admission =
  | { readonly admitted: true; readonly release: () => void }
  | ({ readonly admitted: false } & ExportRefusal);

/**
 * Refuses new OTLP exports while the bridge is overloaded, before their bodies are read, so that
 * clients retry later (HTTP 503 with `Retry-After`, gRPC UNAVAILABLE): when too many OTLP/HTTP
 * export requests are in flight, when the event loop lags, or, after `drain()`, because the bridge
 * is about to stop. One shedder is shared by both receivers; `start()` and `stop()` run its
 * event-loop probe.
 */
export class LoadShedder {
  readonly #maxInFlight: number;
  readonly #maxDelayMs: number;
  readonly #probe: EventLoopDelayProbe;
  #inFlight = 0;
  #draining = false;
  /** Resolved when no OTLP/HTTP export is in flight any more (see `idle()`). */
  #idleWaiters: (() => void)[] = [];

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

  /** Starts measuring the event loop's delay (its timer is unref'd) and admits exports again after a `drain()`. */
  start(): void {
    this.#draining = false;
    this.#probe.start();
  }

  /** From now until `start()`, every new export is refused (cause `draining`); those in flight go on. */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Resolves once no OTLP/HTTP export request is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
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
    const refusal = this.refusal();
    if (refusal !== undefined) return { admitted: false, ...refusal };
    this.#inFlight++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (this.#inFlight === 0) this.#wakeIdleWaiters();
      },
    };
  }

  /**
   * Why a new export must be refused now (OTLP/gRPC asks this; OTLP/HTTP through `admit()`): the
   * bridge is draining, the HTTP requests in flight are at the limit, or the event loop lags.
   * Undefined when it may go on.
   */
  refusal(): ExportRefusal | undefined {
    if (this.#draining) return { cause: 'draining', reason: 'the bridge is shutting down and takes no new exports; retry (against another instance)' };
    const reason = this.overloadReason();
    return reason === undefined ? undefined : { cause: 'overloaded', reason };
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Why the bridge is overloaded now (HTTP requests in flight at the limit, or the event loop lagging); undefined when it is not. */
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
