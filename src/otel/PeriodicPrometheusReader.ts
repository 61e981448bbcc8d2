import { DEFAULT_COLLECT_INTERVAL_MILLIS } from '../config/defaults.ts';
import { ChunkTextCache } from '../exposition/chunkTextCache.ts';
import type { Family } from '../model/family.ts';
import { NotReadyError } from '../server/metricsResponse.ts';
import { BridgeReader } from './BridgeReader.ts';
import type { ExporterConfig } from './bridgeOptions.ts';

// Part of the public API under this module's name.
export { DEFAULT_COLLECT_INTERVAL_MILLIS };

export interface PeriodicReaderConfig extends ExporterConfig {
  /** How often to collect from the SDK. A scrape serves the latest collection. @default 15000 */
  collectIntervalMillis?: number;
}

/**
 * A reader that collects from the SDK on an interval into the bridge's series store; scrapes
 * serve the last snapshot and never touch the SDK, and values are at most one interval old.
 * A collection takes only what changed since the last one (`CollectionMode` 'changes'), so it
 * costs in proportion to the series that changed. The exposition is kept once written, in chunks
 * of series, until a collection changes their numbers: a scrape of an unchanged snapshot costs
 * little more than copying its bytes, and one after a collection writes anew only the chunks
 * where something changed.
 */
export class PeriodicPrometheusReader extends BridgeReader {
  readonly #intervalMillis: number;
  #timer: NodeJS.Timeout | undefined;
  #collecting: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #collected = false;
  readonly #textCache = new ChunkTextCache();

  constructor(config: PeriodicReaderConfig = {}, callback?: (error: Error | void) => void) {
    const interval = config.collectIntervalMillis ?? DEFAULT_COLLECT_INTERVAL_MILLIS;
    if (!Number.isFinite(interval) || interval < 1) {
      throw new RangeError(`PeriodicPrometheusReader option collectIntervalMillis must be a positive number of milliseconds; got ${String(interval)}.`);
    }
    super(config, callback, 'PeriodicPrometheusReader', 'changes');
    this.#intervalMillis = interval;
  }

  protected override onInitialized(): void {
    void this.collectNow();
    this.#timer = setInterval(() => void this.collectNow(), this.#intervalMillis);
    this.#timer.unref();
  }

  /**
   * Collects now. A collection already running may have read the instruments before the caller's
   * latest records, so one more is queued after it (at most one, shared by every caller meanwhile).
   */
  collectNow(): Promise<void> {
    if (this.#collecting !== undefined) {
      this.#queued ??= this.#collecting.then(() => {
        this.#queued = undefined;
        return this.collectNow();
      });
      return this.#queued;
    }
    this.#collecting = this.collectIntoStore()
      .then(
        () => {
          this.#collected = true;
        },
        (error: unknown) => this.logger.warn(`periodic collection failed, serving the previous one: ${String(error)}`),
      )
      .finally(() => {
        this.#collecting = undefined;
      });
    return this.#collecting;
  }

  isReady(): boolean {
    return this.#collected;
  }

  protected override chunkTextCache(): ChunkTextCache {
    return this.#textCache;
  }

  protected async sdkFamilies(): Promise<Family[]> {
    if (!this.#collected) throw new NotReadyError('the first collection has not finished yet.');
    return this.store.families();
  }

  override async onForceFlush(): Promise<void> {
    await this.collectNow();
  }

  override async onShutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.stopServer();
  }
}
