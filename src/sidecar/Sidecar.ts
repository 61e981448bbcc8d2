import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RenderOptions } from '../exposition/exposition.ts';
import { renderExposition } from '../exposition/renderExposition.ts';
import { DropCounter } from '../model/dropCounter.ts';
import { buildDropFamily } from '../model/dropFamily.ts';
import { mergeFamilies } from '../model/mergeFamilies.ts';
import { SeriesStore } from '../model/seriesStore.ts';
import type { MetricsConsumer } from '../otlp/receiver/exportMetrics.ts';
import { GrpcReceiver } from '../otlp/receiver/grpcReceiver.ts';
import { buildHttpReceiver } from '../otlp/receiver/httpReceiver.ts';
import { LoadShedder } from '../otlp/receiver/loadShedder.ts';
import { ReceiverStats } from '../otlp/receiver/receiverStats.ts';
import { buildServer } from '../server/buildServer.ts';
import type { MetricsSource, RenderedMetrics } from '../server/metricsSource.ts';
import { formatHostPort } from './listenAddress.ts';
import { buildSidecarFamilies } from './sidecarFamilies.ts';
import { resolveSidecarSettings, type SidecarConfig, type SidecarSettings } from './sidecarSettings.ts';

/** Where one of the sidecar's listeners is bound. */
export interface SidecarEndpoint {
  /** False for a listener turned off in the config: then host and url are '' and port 0. */
  readonly enabled: boolean;
  /** The address bound, as the OS reports it (`0.0.0.0`, `127.0.0.1`, `::`). */
  readonly host: string;
  readonly port: number;
  /** A URL to reach it (loopback for a wildcard address), with the path for HTTP listeners. */
  readonly url: string;
}

const NOT_LISTENING: SidecarEndpoint = { enabled: false, host: '', port: 0, url: '' };

export interface SidecarAddresses {
  readonly otlpHttp: SidecarEndpoint;
  readonly otlpGrpc: SidecarEndpoint;
  readonly metrics: SidecarEndpoint;
}

/**
 * The sidecar: services push OTLP metrics (HTTP on 4318, gRPC on 4317), Prometheus scrapes the
 * result (9464 `/metrics`). One series store holds every pushing resource, each its own
 * `job`/`instance` with its own `target_info`; delta points accumulate; stale series expire on a
 * background sweep; the series count is bounded; new exports are refused for clients to retry
 * while the bridge is overloaded. Each listener has its own address.
 */
export class Sidecar implements MetricsSource {
  readonly #settings: SidecarSettings;
  readonly #drops: DropCounter;
  readonly #store: SeriesStore;
  readonly #stats = new ReceiverStats();
  readonly #renderOptions: RenderOptions;
  readonly #loadShedder: LoadShedder;
  /** The listeners started (a disabled one is absent). */
  #running: { close: () => Promise<void> }[] | undefined;
  #starting: Promise<SidecarAddresses> | undefined;

  /** Throws at once on a wrong option, naming it, its value and what is allowed. */
  constructor(config: SidecarConfig = {}) {
    const settings = resolveSidecarSettings(config);
    this.#settings = settings;
    this.#drops = new DropCounter(settings.logger);
    this.#store = new SeriesStore(settings.translation, this.#drops, {
      maxSeries: settings.maxSeries,
      metricExpirationMs: settings.metricExpirationMs,
      clock: settings.clock,
    });
    this.#renderOptions = { maxExponentialBuckets: settings.maxExponentialBuckets };
    this.#loadShedder = new LoadShedder({
      maxInFlightRequests: settings.maxInFlightRequests,
      maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
      ...(settings.eventLoopDelayProbe === undefined ? {} : { eventLoopDelay: settings.eventLoopDelayProbe }),
    });
  }

  /** The store as the receivers see it: one `applyAll` per request; what the decoders left out is counted with the drops. */
  get #consumer(): MetricsConsumer {
    const store = this.#store;
    const drops = this.#drops;
    return {
      consume: (resourceMetrics, receivedAtMs) => store.applyAll(resourceMetrics, receivedAtMs),
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
        const app = buildServer({ source: this, endpoint: s.metrics.path });
        metrics = await listenHttp(app, s.metrics, 'metrics server');
        listening.push(app);
      }
      let otlpHttp = NOT_LISTENING;
      if (s.enabled.otlpHttp) {
        const app = buildHttpReceiver({ ...common, path: s.otlpHttp.path });
        otlpHttp = await listenHttp(app, s.otlpHttp, 'OTLP/HTTP receiver');
        listening.push(app);
      }
      let otlpGrpc = NOT_LISTENING;
      if (s.enabled.otlpGrpc) {
        const receiver = new GrpcReceiver(common);
        const bound = await receiver.listen(s.otlpGrpc.host, s.otlpGrpc.port);
        listening.push(receiver);
        otlpGrpc = { enabled: true, host: bound.host, port: bound.port, url: `http://${connectHost(bound.host, bound.port)}` };
      }
      this.#running = listening;
      this.#store.startExpirySweep();
      return { metrics, otlpHttp, otlpGrpc };
    } catch (error) {
      this.#loadShedder.stop();
      await Promise.allSettled(listening.map((listener) => listener.close()));
      throw error;
    }
  }

  /** Stops the listeners (letting requests in progress finish briefly), the sweep and the event-loop probe; start() may be called again. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    this.#running = undefined;
    this.#store.stopExpirySweep();
    this.#loadShedder.stop();
    if (running === undefined) return;
    await Promise.all(running.map((listener) => listener.close()));
  }

  /** The exposition for an `Accept` header: the pushed series, then the bridge's own metrics. */
  async render(accept?: string): Promise<RenderedMetrics> {
    const nowMs = this.#settings.clock();
    const own = [
      buildDropFamily(this.#drops, nowMs),
      ...buildSidecarFamilies({ stats: this.#stats, seriesCount: this.#store.seriesCount(), maxSeries: this.#settings.maxSeries }, nowMs),
    ];
    // Rendered at once: the store's families are live and change with the next request.
    return renderExposition(mergeFamilies(this.#store.families(), own, this.#drops), accept, this.#renderOptions);
  }

  /** Ready while it is started. */
  isReady(): boolean {
    return this.#running !== undefined;
  }

  /** Removes series not updated for the expiration time now (the background sweep does it too); returns how many. */
  sweep(): number {
    return this.#store.sweep(this.#settings.clock());
  }

  /** Counts of what was dropped, by reason (also served as `otel_prom_bridge_translation_dropped_total`). */
  droppedCounts(): ReadonlyMap<string, number> {
    return this.#drops.counts();
  }
}

async function listenHttp(app: FastifyInstance, address: { host: string; port: number; path: string }, what: string): Promise<SidecarEndpoint> {
  try {
    await app.listen({ host: address.host, port: address.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The sidecar's ${what} could not listen on ${formatHostPort(address.host, address.port)}: ${reason}`, { cause: error });
  }
  const bound = app.server.address() as AddressInfo;
  return { enabled: true, host: bound.address, port: bound.port, url: `http://${connectHost(bound.address, bound.port)}${address.path}` };
}

/** `host:port` to connect to: a wildcard address becomes loopback. */
function connectHost(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  return formatHostPort(wildcard ? 'localhost' : host, port);
}
