import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readExposition, type ExpositionStream } from '../exposition/renderExposition.ts';
import { DropCounter } from '../model/dropCounter.ts';
import { buildDropFamily } from '../model/dropFamily.ts';
import { ExpirySweeper } from '../model/expirySweeper.ts';
import type { Family, MetricType } from '../model/family.ts';
import { mergeApplyResults } from '../model/mergeApplyResults.ts';
import { BRIDGE_METRICS_PREFIX, ReservedNames } from '../model/reservedNames.ts';
import { SeriesStore } from '../model/seriesStore.ts';
import type { MetricsConsumer } from '../otlp/receiver/exportMetrics.ts';
import { GrpcReceiver } from '../otlp/receiver/grpcReceiver.ts';
import { buildHttpReceiver } from '../otlp/receiver/httpReceiver.ts';
import { LoadShedder } from '../otlp/receiver/loadShedder.ts';
import { ReceiverStats } from '../otlp/receiver/receiverStats.ts';
import { buildAuthorizationHook } from '../net/auth/authorizationHook.ts';
import type { AuthRefusal } from '../net/auth/listenerAuth.ts';
import { PullOutput } from '../outputs/pull/PullOutput.ts';
import { buildServer } from '../server/buildServer.ts';
import type { MetricsSource, RenderedMetrics } from '../server/metricsSource.ts';
import type { StatusSummary } from '../server/statusSummary.ts';
import { collectPromClientFamilies, toMetricType } from '../promclient/promClientFamilies.ts';
import { VERSION } from '../version.ts';
import { buildSidecarStatus } from './buildSidecarStatus.ts';
import type { SidecarAddresses, SidecarEndpoint } from './sidecarAddresses.ts';
import { formatHostPort } from '../config/listenAddress.ts';
import { ResourceActivity } from './resourceActivity.ts';
import { measureScrape } from './measureScrape.ts';
import { ScrapeStats } from './scrapeStats.ts';
import { buildSidecarFamilies } from './sidecarFamilies.ts';
import { isResolvedSettings, resolveSidecarSettings, type SidecarConfig, type SidecarSettings } from './sidecarSettings.ts';
import { toStoreTranslation } from '../config/translationSettings.ts';

/**
 * prom-client default metrics left out: gauges named `_total`, against Prometheus conventions
 * (`promtool check metrics` refuses them). `sum(nodejs_active_handles)` and the like give the same.
 */
export const PROCESS_METRICS_LEFT_OUT: ReadonlySet<string> = new Set(['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']);

const NOT_LISTENING: SidecarEndpoint = { enabled: false, host: '', port: 0, url: '' };

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
 * the drain period; then the listeners close.
 */
export class Sidecar implements MetricsSource {
  readonly #settings: SidecarSettings;
  readonly #drops: DropCounter;
  readonly #store: SeriesStore;
  readonly #stats = new ReceiverStats();
  readonly #pull: PullOutput;
  readonly #loadShedder: LoadShedder;
  readonly #scrapes = new ScrapeStats();
  /** prom-client's default process and Node.js metrics, in a registry of this sidecar's own; undefined with `selfMetrics: false`. */
  readonly #processMetrics: Registry | undefined;
  readonly #sweeper = new ExpirySweeper(() => this.sweep());
  #expiredSeries = 0;
  /** Per pushing resource: points accepted and refused, last push (the status page's table). */
  readonly #activity = new ResourceActivity();
  /** Where the listeners are bound and since when; undefined while stopped. */
  #started: { readonly addresses: SidecarAddresses; readonly atMs: number } | undefined;
  /** Requests to the metrics listener refused for missing or wrong credentials. */
  #refusedScrapes = 0;
  /** The listeners started (a disabled one is absent). */
  #running: { close: () => Promise<void> }[] | undefined;
  #starting: Promise<SidecarAddresses> | undefined;

  /**
   * Throws at once on a wrong option, naming it, its value and what is allowed. Settings resolved
   * already (`toSidecarSettings`, from the command line) are taken as they are.
   */
  constructor(config: SidecarConfig | SidecarSettings = {}) {
    const settings = isResolvedSettings(config) ? config : resolveSidecarSettings(config);
    this.#settings = settings;
    this.#drops = new DropCounter(settings.logger);
    if (settings.selfMetrics) {
      this.#processMetrics = new Registry();
      collectDefaultMetrics({ register: this.#processMetrics });
    }
    this.#store = new SeriesStore(toStoreTranslation(settings), this.#drops, {
      maxSeries: settings.maxSeries,
      metricExpirationMs: settings.metricExpirationMs,
      clock: settings.clock,
      reservedNames: new ReservedNames([BRIDGE_METRICS_PREFIX], this.#processMetrics === undefined ? [] : listProcessFamilies(this.#processMetrics)),
    });
    // The bridge's own families first: they win any conflict (the store refuses their names anyway).
    // Without them the store's are still merged into none, under the same conflict rules.
    this.#pull = new PullOutput({
      sources: settings.selfMetrics
        ? [() => this.#bridgeFamilies(), () => this.#processFamilies(), () => this.#store.families()]
        : [() => [], () => this.#store.families()],
      drops: this.#drops,
      renderOptions: { maxExponentialBuckets: settings.maxExponentialBuckets },
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
    return {
      // Resource by resource, so that the status page can say what became of each one's points.
      consume: (resourceMetrics, receivedAtMs) =>
        mergeApplyResults(
          resourceMetrics.map((one) => {
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
    const common = { consumer, maxRequestBytes: s.maxRequestBytes, clock: s.clock, stats: this.#stats, logger: s.logger, loadShedder: this.#loadShedder };
    const listening: { close: () => Promise<void> }[] = [];
    this.#loadShedder.start();
    try {
      let metrics = NOT_LISTENING;
      if (s.enabled.metrics) {
        const app = buildServer({ source: this, endpoint: s.metrics.path, tls: s.tls.metrics, statusPage: () => this.status() });
        const auth = s.auth.metrics;
        // Probes stay open: a kubelet or load balancer has no credentials.
        if (auth !== undefined) app.addHook('onRequest', buildAuthorizationHook({ auth, openPaths: ['/-/healthy', '/-/ready'], onRefused: this.#countRefusedScrape }));
        metrics = await listenHttp(app, s.metrics, 'metrics server', s.tls.metrics !== undefined);
        listening.push(app);
      }
      let otlpHttp = NOT_LISTENING;
      if (s.enabled.otlpHttp) {
        const app = buildHttpReceiver({ ...common, path: s.otlpHttp.path, auth: s.auth.otlpHttp, tls: s.tls.otlpHttp });
        otlpHttp = await listenHttp(app, s.otlpHttp, 'OTLP/HTTP receiver', s.tls.otlpHttp !== undefined);
        listening.push(app);
      }
      let otlpGrpc = NOT_LISTENING;
      if (s.enabled.otlpGrpc) {
        const receiver = new GrpcReceiver({ ...common, auth: s.auth.otlpGrpc, tls: s.tls.otlpGrpc });
        const bound = await receiver.listen(s.otlpGrpc.host, s.otlpGrpc.port);
        listening.push(receiver);
        otlpGrpc = { enabled: true, host: bound.host, port: bound.port, url: `${scheme(s.tls.otlpGrpc !== undefined)}://${connectHost(bound.host, bound.port)}` };
      }
      this.#running = listening;
      // The sidecar's own sweeper rather than the store's, so that it counts what expires.
      this.#sweeper.start(s.metricExpirationMs / 10);
      this.#started = { addresses: { metrics, otlpHttp, otlpGrpc }, atMs: s.clock() };
      return this.#started.addresses;
    } catch (error) {
      this.#loadShedder.stop();
      await Promise.allSettled(listening.map((listener) => listener.close()));
      throw error;
    }
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
    await Promise.all([this.drain(), this.#settings.drainPeriodMs > 0 ? delay(this.#settings.drainPeriodMs) : undefined]);
    await this.stop();
  }

  /** Stops the listeners (letting requests in progress finish briefly), the sweep and the event-loop probe; start() may be called again. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    this.#running = undefined;
    this.#sweeper.stop();
    this.#loadShedder.stop();
    if (running === undefined) return;
    await Promise.all(running.map((listener) => listener.close()));
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
    return [
      buildDropFamily(this.#drops, nowMs),
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
        },
        nowMs,
      ),
    ];
  }

  /** prom-client's `process_*` and `nodejs_*`, less those left out. */
  async #processFamilies(): Promise<Family[]> {
    const processFamilies = this.#processMetrics === undefined ? [] : await collectPromClientFamilies([this.#processMetrics], this.#drops);
    return processFamilies.filter((family) => !PROCESS_METRICS_LEFT_OUT.has(family.name));
  }

  readonly #countRefusedScrape = (refusal: AuthRefusal, request: { method: string; url: string }): void => {
    this.#refusedScrapes++;
    this.#settings.logger?.debug(`metrics listener refused ${request.method} ${request.url.split('?', 1)[0]} with 401 (${refusal.problem}): ${refusal.message}`);
  };

  /** Ready while it is started and not draining. */
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
    });
  }

  /** Counts of what was dropped, by reason (also served as `otel_prom_bridge_translation_dropped_total`). */
  droppedCounts(): ReadonlyMap<string, number> {
    return this.#drops.counts();
  }
}

async function listenHttp(app: FastifyInstance, address: { host: string; port: number; path: string }, what: string, tls: boolean): Promise<SidecarEndpoint> {
  try {
    await app.listen({ host: address.host, port: address.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The sidecar's ${what} could not listen on ${formatHostPort(address.host, address.port)}: ${reason}`, { cause: error });
  }
  const bound = app.server.address() as AddressInfo;
  return { enabled: true, host: bound.address, port: bound.port, url: `${scheme(tls)}://${connectHost(bound.address, bound.port)}${address.path}` };
}

function scheme(tls: boolean): 'https' | 'http' {
  return tls ? 'https' : 'http';
}

/** `host:port` to connect to: a wildcard address becomes loopback. */
function connectHost(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  return formatHostPort(wildcard ? 'localhost' : host, port);
}

/** The families prom-client's default metrics give (names and types), the ones the sidecar serves. */
function listProcessFamilies(registry: Registry): { name: string; type: MetricType }[] {
  return registry
    .getMetricsAsArray()
    .filter((metric) => !PROCESS_METRICS_LEFT_OUT.has(metric.name))
    .map((metric) => ({ name: metric.name, type: toMetricType(String(metric.type)) }));
}
