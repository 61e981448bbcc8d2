import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { readExposition, type ExpositionStream } from '../exposition/renderExposition.ts';
import { DropCounter } from '../model/dropCounter.ts';
import { buildBucketWarningFamily } from '../model/bucketWarningFamily.ts';
import { buildDropFamily } from '../model/dropFamily.ts';
import { ExpirySweeper } from '../model/expirySweeper.ts';
import type { Family } from '../model/family.ts';
import { HistogramBucketWarnings } from '../model/histogramBucketWarnings.ts';
import { mergeApplyResults } from '../model/mergeApplyResults.ts';
import { BRIDGE_METRICS_PREFIX, ReservedNames } from '../model/reservedNames.ts';
import { SeriesStore } from '../model/seriesStore.ts';
import type { MetricsConsumer } from '../otlp/receiver/exportMetrics.ts';
import { LoadShedder } from '../otlp/receiver/loadShedder.ts';
import { ReceiverStats } from '../otlp/receiver/receiverStats.ts';
import type { AuthRefusal } from '../net/auth/listenerAuth.ts';
import { PullOutput } from '../outputs/pull/PullOutput.ts';
import { StateKeeper } from '../outputs/state/StateKeeper.ts';
import { RemoteWriteOutput } from '../outputs/push/remoteWrite/RemoteWriteOutput.ts';
import { buildRemoteWriteFamilies } from './remoteWriteFamilies.ts';
import type { MetricsSource, RenderedMetrics } from '../server/metricsSource.ts';
import type { StatusSummary } from '../server/statusSummary.ts';
import { VERSION } from '../version.ts';
import { buildSidecarStatus } from './buildSidecarStatus.ts';
import type { SidecarAddresses } from './sidecarAddresses.ts';
import { startListeners, type Listeners } from './listeners.ts';
import { ProcessMetrics } from './processMetrics.ts';
import { ResourceActivity } from './resourceActivity.ts';
import { measureScrape } from './measureScrape.ts';
import { ScrapeStats } from './scrapeStats.ts';
import { buildSidecarFamilies } from './sidecarFamilies.ts';
import { isResolvedSettings, resolveSidecarSettings, type SidecarConfig, type SidecarSettings } from './sidecarSettings.ts';
import { toStoreTranslation } from '../config/translationSettings.ts';

/**
 * The sidecar: services push OTLP metrics (HTTP on 4318, gRPC on 4317), Prometheus scrapes the
 * result (9464 `/metrics`). One series store holds every pushing resource, each its own
 * `job`/`instance` with its own `target_info`; delta points accumulate; stale series expire on a
 * background sweep; the series count is bounded; new exports are refused for clients to retry
 * while the bridge is overloaded. Each listener has its own address. `status()` summarizes it for
 * people: the status page at `/` on the metrics listener (JSON at `/api/v1/status`).
 *
 * Stopping gracefully (`shutdown()`): `/-/ready` turns 503 and new exports are refused (HTTP 503
 * with `Retry-After`, gRPC UNAVAILABLE) while those in flight finish; the metrics path answers for
 * the drain period; then the listeners close. With `stateDir` the series are restored at start,
 * before any listener opens, written every `stateSnapshotIntervalMs` and once more once the
 * listeners are closed (`outputs/state/`).
 */
export class Sidecar implements MetricsSource {
  readonly #settings: SidecarSettings;
  readonly #drops: DropCounter;
  readonly #store: SeriesStore;
  readonly #stats: ReceiverStats;
  readonly #pull: PullOutput;
  readonly #loadShedder: LoadShedder;
  readonly #scrapes = new ScrapeStats();
  /** prom-client's default process and Node.js metrics, in a registry of this sidecar's own; undefined with `selfMetrics: false`. */
  readonly #processMetrics: ProcessMetrics | undefined;
  readonly #sweeper = new ExpirySweeper(() => this.sweep());
  #expiredSeries = 0;
  /** Per pushing resource: points accepted and refused, last push (the status page's table). */
  readonly #activity = new ResourceActivity();
  /** Histograms in seconds with the SDK's default (millisecond) buckets: warned once each, listed. */
  readonly #bucketWarnings: HistogramBucketWarnings;
  /** Where the listeners are bound and since when; undefined while stopped. */
  #started: { readonly addresses: SidecarAddresses; readonly atMs: number } | undefined;
  /** Requests to the metrics listener refused for missing or wrong credentials. */
  #refusedScrapes = 0;
  /** The listeners started (a disabled one is absent). */
  #running: { close: () => Promise<void> }[] | undefined;
  #starting: Promise<SidecarAddresses> | undefined;
  /** Remote write while started; undefined without endpoints. */
  #remoteWrite: RemoteWriteOutput | undefined;
  /** The series kept on disk across restarts; undefined without `stateDir`. */
  readonly #state: StateKeeper | undefined;
  /** The restore ran (once per process: a later `start()` keeps what the store holds). */
  #restored = false;

  /**
   * Throws at once on a wrong option, naming it, its value and what is allowed. Settings resolved
   * already (`toSidecarSettings`, from the command line) are taken as they are.
   */
  constructor(config: SidecarConfig | SidecarSettings = {}) {
    const settings = isResolvedSettings(config) ? config : resolveSidecarSettings(config);
    this.#settings = settings;
    this.#stats = new ReceiverStats(settings.clock);
    this.#drops = new DropCounter(settings.logger);
    this.#bucketWarnings = new HistogramBucketWarnings(settings.logger, settings.clock);
    if (settings.selfMetrics) {
      this.#processMetrics = new ProcessMetrics();
    }
    this.#store = new SeriesStore(toStoreTranslation(settings), this.#drops, {
      maxSeries: settings.maxSeries,
      metricExpirationMs: settings.metricExpirationMs,
      clock: settings.clock,
      reservedNames: new ReservedNames([BRIDGE_METRICS_PREFIX], this.#processMetrics?.families() ?? []),
    });
    // The bridge's own families first: they win any conflict (the store refuses their names anyway).
    // Without them the store's are still merged into none, under the same conflict rules.
    this.#pull = new PullOutput({
      sources: settings.selfMetrics
        ? [() => this.#bridgeFamilies(), async () => (await this.#processMetrics?.collect(this.#drops)) ?? [], () => this.#store.families()]
        : [() => [], () => this.#store.families()],
      drops: this.#drops,
      renderOptions: { maxExponentialBuckets: settings.maxExponentialBuckets, createdLines: settings.openMetricsCreatedLines },
    });
    this.#state =
      settings.stateDir === undefined
        ? undefined
        : new StateKeeper({
            directory: settings.stateDir,
            intervalMs: settings.stateSnapshotIntervalMs,
            store: this.#store,
            translation: describeTranslation(settings),
            extra: { save: () => ({ resourceLastPushes: this.#activity.lastPushes() }), restore: (saved) => this.#activity.restoreLastPushes((saved as { resourceLastPushes?: unknown }).resourceLastPushes) },
            logger: settings.logger,
            clock: settings.clock,
          });
    this.#loadShedder = new LoadShedder({
      maxInFlightRequests: settings.maxInFlightRequests,
      maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
      ...(settings.eventLoopDelayProbe === undefined ? {} : { eventLoopDelay: settings.eventLoopDelayProbe }),
    });
  }

  /** The store as the receivers see it: one call per request, applied resource by resource; what the decoders left out is counted with the drops. */
  get #consumer(): MetricsConsumer {
    const store = this.#store;
    const drops = this.#drops;
    const activity = this.#activity;
    const bucketWarnings = this.#bucketWarnings;
    return {
      // Resource by resource, so that the status page can say what became of each one's points.
      consume: (resourceMetrics, receivedAtMs) =>
        mergeApplyResults(
          resourceMetrics.map((one) => {
            bucketWarnings.inspect(one);
            const result = store.apply(one, receivedAtMs);
            activity.record(one.resource.attributes, result, receivedAtMs);
            return result;
          }),
        ),
      recordDecodeDrops: (reason, count, detail) => drops.drop(reason, detail, count),
    };
  }

  /**
   * Starts the listeners (those not disabled) and the expiry sweep; resolves with where they are bound. If one
   * cannot listen (a port in use), the others are closed again and the promise rejects naming it.
   */
  start(): Promise<SidecarAddresses> {
    if (this.#running !== undefined || this.#starting !== undefined) return Promise.reject(new Error('The sidecar is already started; stop() it first.'));
    this.#starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<SidecarAddresses> {
    const s = this.#settings;
    const consumer = this.#consumer;
    // The state first, before any listener opens: a StateDirectoryError (not writable, locked) stops the start.
    this.#state?.open();
    if (this.#state !== undefined && !this.#restored) {
      await this.#state.restore();
      this.#restored = true;
    }
    this.#loadShedder.start();
    let listening: Listeners;
    try {
      listening = await startListeners(s, {
        scrapes: this,
        status: () => this.status(),
        onRefusedScrape: this.#countRefusedScrape,
        receiver: { consumer, maxRequestBytes: s.maxRequestBytes, clock: s.clock, stats: this.#stats, logger: s.logger, loadShedder: this.#loadShedder },
      });
    } catch (error) {
      this.#loadShedder.stop();
      await this.#state?.close();
      throw error;
    }
    this.#running = listening.closers;
    this.#remoteWrite = this.#startRemoteWrite();
    this.#state?.start();
    // The sidecar's own sweeper rather than the store's, so that it counts what expires.
    this.#sweeper.start(s.metricExpirationMs / 10);
    this.#started = { addresses: listening.addresses, atMs: s.clock() };
    return this.#started.addresses;
  }

  /** Remote write from the store's change feed, when there are endpoints; the first round sends every series held (a restored store's too). */
  #startRemoteWrite(): RemoteWriteOutput | undefined {
    const s = this.#settings;
    if (s.remoteWrite.endpoints.length === 0) return undefined;
    const output = new RemoteWriteOutput({
      source: this.#store,
      endpoints: s.remoteWrite.endpoints,
      externalLabels: s.remoteWrite.externalLabels,
      intervalMs: s.remoteWrite.intervalMs,
      logger: s.logger,
      clock: s.clock,
      maxExponentialBuckets: s.maxExponentialBuckets,
    });
    if (s.stateDir !== undefined) output.restoreQueues(s.stateDir);
    output.start();
    return output;
  }

  /** The remote-write endpoints and what each did (the status page); none without endpoints. */
  remoteWriteEndpoints(): ReturnType<RemoteWriteOutput['endpoints']> {
    return this.#remoteWrite?.endpoints() ?? [];
  }

  /** Sends what changed to the remote-write endpoints now and resolves once each has sent what it holds (tests; the interval does this on its own). */
  async flushRemoteWrite(): Promise<void> {
    await this.#remoteWrite?.round();
    await this.#remoteWrite?.flush();
  }

  /**
   * Stops taking OTLP exports: from now on new ones are refused (HTTP 503 with `Retry-After: 1`,
   * gRPC UNAVAILABLE, counted with outcome `draining`) and `/-/ready` answers 503, while the
   * metrics path and `/-/healthy` go on answering. Resolves once the OTLP/HTTP exports in flight
   * are answered (gRPC exports are answered as they arrive). `stop()` ends it; so does `start()`.
   */
  drain(): Promise<void> {
    this.#loadShedder.drain();
    return this.#loadShedder.idle();
  }

  /** Whether `drain()` was called since the last start. */
  isDraining(): boolean {
    return this.#loadShedder.draining;
  }

  /**
   * The graceful stop: `drain()`, then the metrics path answers for the drain period (counted from
   * now, at least until the exports in flight are answered) so that a last scrape sees the last
   * data, then `stop()`.
   */
  async shutdown(): Promise<void> {
    const drainPeriodMs = this.#settings.drainPeriodMs;
    const started = performance.now();
    // Remote write gets what the last exports brought, and the rest of the drain period to send what it holds.
    const remoteWrite = this.drain().then(() => this.#remoteWrite?.drain(Math.max(0, drainPeriodMs - (performance.now() - started))));
    await Promise.all([remoteWrite, drainPeriodMs > 0 ? delay(drainPeriodMs) : undefined]);
    await this.stop();
  }

  /**
   * Stops the listeners (letting requests in progress finish briefly), the sweep and the event-loop
   * probe, then (with `stateDir`) writes a last snapshot and releases the directory; start() may be called again.
   */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    this.#running = undefined;
    // With a state directory what remote write still holds is kept there for the next start.
    this.#remoteWrite?.stop(this.#settings.stateDir);
    this.#sweeper.stop();
    this.#loadShedder.stop();
    if (running === undefined) return;
    await Promise.all(running.map((listener) => listener.close()));
    // Nothing writes to the store any more: the last snapshot holds everything accepted.
    await this.#state?.close();
  }

  /**
   * The exposition for an `Accept` header: the pushed series, then (with `selfMetrics`) the
   * bridge's own metrics. Each call is counted as a scrape, by format.
   */
  async render(accept?: string): Promise<RenderedMetrics> {
    return readExposition(await this.#measuredStream(accept, true));
  }

  /**
   * The same, chunk by chunk (what the metrics server streams): requests are applied between
   * chunks, each series written whole as it is when its chunk is written. Counted once written
   * whole (`completed`), or once the consumer stops early or rendering fails (`aborted`).
   */
  async renderStream(accept?: string): Promise<ExpositionStream> {
    return this.#measuredStream(accept, false);
  }

  /** A scrape from the pull output, counted by format; `textOnly` for `render()`. */
  async #measuredStream(accept: string | undefined, textOnly: boolean): Promise<ExpositionStream> {
    const startedAt = performance.now();
    const scrape = await this.#pull.stream(accept, undefined, textOnly);
    const format = scrape.format.name;
    const chunks = measureScrape(scrape.chunks, (outcome, bytes) => {
      if (outcome === 'completed') this.#scrapes.recordCompleted(format, (performance.now() - startedAt) / 1000, bytes);
      else this.#scrapes.recordAborted(format);
    });
    return { contentType: scrape.contentType, chunks };
  }

  /** `otel_prom_bridge_*`: the drops, then the sidecar's own counts. */
  #bridgeFamilies(): Family[] {
    const nowMs = this.#settings.clock();
    const bucketWarnings = buildBucketWarningFamily(this.#bucketWarnings.flagged(), nowMs);
    return [
      buildDropFamily(this.#drops, nowMs),
      ...buildRemoteWriteFamilies(this.#remoteWrite?.endpoints() ?? [], nowMs),
      ...(bucketWarnings === undefined ? [] : [bucketWarnings]),
      ...buildSidecarFamilies(
        {
          stats: this.#stats,
          seriesCount: this.#store.seriesCount(),
          maxSeries: this.#settings.maxSeries,
          expiredSeries: this.#expiredSeries,
          retriedDeltaPoints: this.#store.retriedDeltaPoints(),
          unauthenticatedScrapes: this.#settings.auth.metrics === undefined ? undefined : this.#refusedScrapes,
          scrapes: this.#scrapes,
          version: VERSION,
          nodeVersion: process.versions.node,
          resourceLastPushes: this.#activity.lastPushes(),
          state: this.#state?.stats(),
        },
        nowMs,
      ),
    ];
  }

  readonly #countRefusedScrape = (refusal: AuthRefusal, request: { method: string; url: string }): void => {
    this.#refusedScrapes++;
    this.#settings.logger?.debug(`metrics listener refused ${request.method} ${request.url.split('?', 1)[0]} with 401 (${refusal.problem}): ${refusal.message}`);
  };

  /** Ready while it is started and not draining (with `stateDir`, the listeners open only once the restore is done). */
  isReady(): boolean {
    return this.#running !== undefined && !this.#loadShedder.draining;
  }

  /** Removes series not updated for the expiration time now (the background sweep does it too); returns how many. */
  sweep(): number {
    const nowMs = this.#settings.clock();
    const removed = this.#store.sweep(nowMs);
    this.#expiredSeries += removed;
    // The same cutoff as the store's: a resource silent that long has no series left.
    this.#activity.forgetPushedUpTo(nowMs - this.#settings.metricExpirationMs);
    return removed;
  }

  /**
   * What the status page at `/` shows (and `/api/v1/status` serves as JSON): version, state,
   * uptime, settings (never credentials) and the resources pushing, with the series each holds.
   * Walks every series held: for people and occasional checks, not for every scrape.
   */
  status(): StatusSummary {
    const started = this.#running === undefined ? undefined : this.#started;
    return buildSidecarStatus({
      version: VERSION,
      settings: this.#settings,
      addresses: started?.addresses,
      state: started === undefined ? 'stopped' : this.#loadShedder.draining ? 'draining' : 'ready',
      startedAtMs: started?.atMs,
      nowMs: this.#settings.clock(),
      seriesHeld: this.#store.seriesCount(),
      resources: this.#activity.statuses(this.#store.seriesByJobAndInstance()),
      refusedRequests: this.#stats.refusedRequests(),
      stateKeeping: this.#state?.stats(),
      remoteWrite: this.#remoteWrite?.endpoints(),
      histogramBucketWarnings: this.#bucketWarnings.flagged(),
    });
  }

  /** Counts of what was dropped, by reason (also served as `otel_prom_bridge_translation_dropped_total`). */
  droppedCounts(): ReadonlyMap<string, number> {
    return this.#drops.counts();
  }
}

/** The translation settings as text: a snapshot written under other ones is not restored (its series would carry other names). */
function describeTranslation(settings: SidecarSettings): string {
  return JSON.stringify(toStoreTranslation(settings), (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
}
