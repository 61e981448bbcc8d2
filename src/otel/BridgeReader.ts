import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ChunkTextCache } from '../exposition/chunkTextCache.ts';
import type { ExpositionStream } from '../exposition/renderExposition.ts';
import { DropCounter, type Logger } from '../model/dropCounter.ts';
import { buildBucketWarningFamily } from '../model/bucketWarningFamily.ts';
import { buildDropFamily } from '../model/dropFamily.ts';
import type { Family } from '../model/family.ts';
import { HistogramBucketWarnings } from '../model/histogramBucketWarnings.ts';
import { SeriesStore } from '../model/seriesStore.ts';
import { PullOutput } from '../outputs/pull/PullOutput.ts';
import { collectPromClientFamilies } from '../promclient/promClientFamilies.ts';
import { buildMetricsResponse, NotReadyError } from '../server/metricsResponse.ts';
import type { MetricsSource, RenderedMetrics } from '../server/metricsSource.ts';
import { buildServer } from '../server/buildServer.ts';
import { toStoreTranslation } from '../config/translationSettings.ts';
import { resolveBridgeSettings, type ExporterConfig, type ServerSettings } from './bridgeOptions.ts';
import { temporalityFor, type CollectionMode } from './collectionMode.ts';
import { fromSdkMetrics } from './adapt/fromSdkMetrics.ts';

const diagLogger: Logger = {
  warn: (message) => diag.warn(message),
  debug: (message) => diag.debug(message),
};

/** Where the exporter's server listens, once it does. */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
  /** The metrics URL, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
}

/**
 * What the in-process exporters share: a MetricReader on the app's MeterProvider that translates
 * the SDK's data into the series store (see `CollectionMode`), renders it in the scraper's format,
 * and serves it over its own fastify server, a handler, or `render()`.
 */
export abstract class BridgeReader extends MetricReader implements MetricsSource {
  protected readonly store: SeriesStore;
  protected readonly drops: DropCounter;
  protected readonly logger: Logger;
  /** Histograms in seconds with the SDK's default (millisecond) buckets: warned once each, counted. */
  readonly #bucketWarnings: HistogramBucketWarnings;
  readonly #server: ServerSettings;
  readonly #pull: PullOutput;
  readonly #mode: CollectionMode;
  #app: FastifyInstance | undefined;
  #startServerPromise: Promise<void> | undefined;
  #address: BoundAddress | undefined;

  constructor(config: ExporterConfig, callback: ((error: Error | void) => void) | undefined, kind: string, mode: CollectionMode) {
    super({
      aggregationTemporalitySelector: temporalityFor(mode),
      metricProducers: config.metricProducers,
    });
    this.#mode = mode;
    this.logger = config.logger ?? diagLogger;
    const settings = resolveBridgeSettings(config, process.env, (message) => this.logger.warn(message));
    this.#server = settings.server;
    this.drops = new DropCounter(this.logger);
    this.#bucketWarnings = new HistogramBucketWarnings(this.logger);
    // The SDK is the store's only writer and never retries: a lower cumulative value is a reset (an observable source restarted).
    this.store = new SeriesStore(toStoreTranslation(settings), this.drops, { pushed: false });
    const registries = [...(config.promClientRegistries ?? [])];
    if (config.promClientDefaultMetrics) {
      const registry = new Registry();
      collectDefaultMetrics({ ...(config.promClientDefaultMetrics === true ? {} : config.promClientDefaultMetrics), register: registry });
      registries.push(registry);
    }
    // The SDK's families win any conflict; the drop count comes last, with the conflicts of this scrape.
    this.#pull = new PullOutput({
      sources: [
        () => this.sdkFamilies(),
        () => (registries.length === 0 ? [] : collectPromClientFamilies(registries, this.drops)),
        () => this.#bridgeFamilies(),
      ],
      drops: this.drops,
      renderOptions: { appendTimestamp: settings.appendTimestamp, maxExponentialBuckets: settings.maxExponentialBuckets, createdLines: settings.openMetricsCreatedLines },
    });

    if (!this.#server.preventServerStart) {
      this.startServer().then(
        () => callback?.(),
        (error: Error) => {
          diag.error(`${kind} could not start its server: ${error.message}`);
          callback?.(error);
        },
      );
    } else if (callback) {
      queueMicrotask(() => callback());
    }
  }

  /** The bridge's own: what it dropped, and the histograms the bucket linter flagged. */
  #bridgeFamilies(): Family[] {
    const nowMs = Date.now();
    const bucketWarnings = buildBucketWarningFamily(this.#bucketWarnings.flagged(), nowMs);
    return bucketWarnings === undefined ? [buildDropFamily(this.drops, nowMs)] : [buildDropFamily(this.drops, nowMs), bucketWarnings];
  }

  /** The families to serve from the OpenTelemetry side (collected now, or the last snapshot). */
  protected abstract sdkFamilies(): Promise<Family[]>;

  /** Where to keep written chunks of `sdkFamilies()`, when their series' data objects never change once built. */
  protected chunkTextCache(): ChunkTextCache | undefined {
    return undefined;
  }

  abstract isReady(): boolean;

  /** Collects from the SDK into the store: replacing the previous snapshot, or adding the changes to it. */
  protected async collectIntoStore(): Promise<void> {
    let result;
    try {
      result = await this.collect();
    } catch (error) {
      if (error instanceof Error && /not bound/i.test(error.message)) {
        throw new NotReadyError('the exporter is not registered with a MeterProvider yet (pass it in `readers`).');
      }
      throw error;
    }
    if (result.errors.length > 0) this.logger.warn(`metrics collection reported errors: ${result.errors.map(String).join('; ')}`);
    const translated = fromSdkMetrics(result.resourceMetrics);
    this.#bucketWarnings.inspect(translated);
    if (this.#mode === 'snapshot') this.store.replaceWith(translated);
    else this.store.apply(translated);
  }

  /** The exposition for an `Accept` header: `{ contentType, body }`, for any framework. */
  async render(accept?: string): Promise<RenderedMetrics> {
    return this.#pull.render(accept, this.chunkTextCache());
  }

  /**
   * The exposition for an `Accept` header chunk by chunk, the event loop free between chunks (what
   * the HTTP server serves). Collects first (the drop-in exporter); rejects when that fails.
   */
  async renderStream(accept?: string): Promise<ExpositionStream> {
    return this.#pull.stream(accept, this.chunkTextCache());
  }

  /** Answers a Node.js HTTP request with the metrics, as the official exporter's handler does. */
  getMetricsRequestHandler(request: IncomingMessage, response: ServerResponse): void {
    buildMetricsResponse(this, request.headers.accept, request.headers['accept-encoding']).then(
      ({ statusCode, headers, body }) => {
        response.writeHead(statusCode, headers);
        if (typeof body === 'string' || Buffer.isBuffer(body)) response.end(body);
        else pipeline(body, response, () => undefined); // a failure midway destroys the response
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`failed to render metrics: ${String(error)}\n`);
      },
    );
  }

  /** Starts the HTTP server (once; later calls return the same promise). */
  startServer(): Promise<void> {
    this.#startServerPromise ??= this.#listen();
    return this.#startServerPromise;
  }

  async #listen(): Promise<void> {
    const app = buildServer({ source: this, endpoint: this.#server.endpoint });
    this.#app = app;
    try {
      await app.listen({ host: this.#server.host, port: this.#server.port });
    } catch (error) {
      this.#app = undefined;
      this.#startServerPromise = undefined;
      throw error;
    }
    const bound = app.server.address() as AddressInfo;
    // A wildcard address is where it listens, not where to connect: use loopback in the URL.
    const wildcard = bound.address === '::' || bound.address === '0.0.0.0';
    const host = wildcard ? 'localhost' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.#address = { host: bound.address, port: bound.port, url: `http://${host}:${bound.port}${this.#server.endpoint}` };
    app.server.unref();
  }

  /** Stops the HTTP server; `startServer()` may start it again. */
  async stopServer(): Promise<void> {
    const starting = this.#startServerPromise;
    if (starting === undefined) return;
    await starting.catch(() => undefined);
    const app = this.#app;
    this.#app = undefined;
    this.#startServerPromise = undefined;
    this.#address = undefined;
    await app?.close();
  }

  /** Where the server listens (the real port when configured with port 0); undefined before it does. */
  address(): BoundAddress | undefined {
    return this.#address;
  }

  /** Counts of what translation dropped, by reason (also served as `otel_prom_bridge_translation_dropped_total`). */
  droppedCounts(): ReadonlyMap<string, number> {
    return this.drops.counts();
  }
}
