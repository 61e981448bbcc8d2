/**
 * Runs a sweep every `intervalMs` on an unref'd timer, so that stale series go while nobody scrapes
 * and the timer never keeps the process alive. `start` again replaces the interval; `stop` is idempotent.
 */
export class ExpirySweeper {
  readonly #sweep: () => unknown;
  #timer: NodeJS.Timeout | undefined;

  constructor(sweep: () => unknown) {
    this.#sweep = sweep;
  }

  start(intervalMs: number): void {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`The expiry sweep interval must be a positive number of milliseconds; got ${String(intervalMs)}.`);
    }
    this.stop();
    this.#timer = setInterval(this.#sweep, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }
}
