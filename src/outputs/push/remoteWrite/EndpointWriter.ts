import type { Logger } from '../../../model/dropCounter.ts';
import { encodeWriteRequest, newRequestWriter } from './encodeWriteRequest.ts';
import { WriteRequestPoster, type PostOutcome } from './postWriteRequest.ts';
import type { RemoteSample } from './remoteSample.ts';
import type { RemoteWriteEndpoint, RemoteWriteMessage } from './remoteWriteEndpoint.ts';
import { parseRetryAfter, retryDelayMs } from './retryDelay.ts';
import { ShardQueues } from './shardQueues.ts';
import { compressSnappy } from './snappyBlock.ts';
import type { DropReason, EndpointStats } from './endpointStats.ts';
import { newEndpointStats } from './endpointStats.ts';

/** Response headers by which a 2.0 receiver says what it wrote; a 2xx without any is a 1.0 receiver. */
const WRITTEN_HEADERS = ['x-prometheus-remote-write-samples-written', 'x-prometheus-remote-write-histograms-written', 'x-prometheus-remote-write-exemplars-written'];

/**
 * The largest request body before compression: a batch that encodes larger is sent in halves.
 * 2,000 samples take about 0.6 MiB with the labels of a typical service; receivers refuse far
 * larger bodies (Mimir's distributor takes 100 MiB, gRPC-based ones 4 MiB compressed).
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** How often a writer looks for batches whose deadline passed, at most. */
const MAX_TICK_MS = 1000;

interface Batch {
  readonly samples: RemoteSample[];
  readonly shards: readonly number[];
}

export interface EndpointWriterOptions {
  readonly logger?: Logger | undefined;
  readonly clock?: () => number;
  /** For tests: the jitter. */
  readonly random?: () => number;
  /** A batch that encodes larger is sent in halves. @default MAX_REQUEST_BYTES */
  readonly maxRequestBytes?: number;
}

/**
 * Sends one endpoint its samples: queued per shard, batched, encoded as the endpoint's message,
 * snappy-compressed and POSTed, up to `shards` requests at once (from `min_shards`, more while
 * the queue holds more than they send, at most `max_shards`). A batch that fails in a way worth
 * retrying (5xx, 429 when enabled, no answer) is sent again after a backoff, its shards held
 * meanwhile so that their series stay in order; any other refusal drops it, logged once per
 * status and counted. Endpoints each have their own writer: one that is slow or down delays no
 * other, nor ingest, nor scrapes.
 */
export class EndpointWriter {
  readonly endpoint: RemoteWriteEndpoint;
  readonly stats: EndpointStats;
  readonly #queue: ShardQueues;
  readonly #poster: WriteRequestPoster;
  readonly #writer = newRequestWriter();
  readonly #logger: Logger | undefined;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #maxRequestBytes: number;
  /** What is sent: 2.0 until the receiver shows it takes only 1.0. */
  #message: RemoteWriteMessage;
  /** Batches in requests (sent, or waiting to be sent again). */
  readonly #inFlight = new Set<Batch>();
  /** Batches handed to `stop`'s keeper: not dropped when their request gives up. */
  readonly #kept = new Set<Batch>();
  #flushing = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  /** Statuses logged already (a refusal is logged once per status). */
  readonly #logged = new Set<string>();
  /** Resolves waiters when the queue is empty and nothing is in flight. */
  #idleWaiters: (() => void)[] = [];
  /** Retry sleeps in progress, to end them at stop. */
  readonly #sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(endpoint: RemoteWriteEndpoint, options: EndpointWriterOptions = {}) {
    this.endpoint = endpoint;
    this.#queue = new ShardQueues(endpoint.queue.maxShards, endpoint.queue.capacity);
    this.#poster = new WriteRequestPoster(endpoint);
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#maxRequestBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
    this.#message = endpoint.protobufMessage;
    this.stats = newEndpointStats(endpoint.queue.minShards, this.#message);
    const tick = Math.min(MAX_TICK_MS, Math.max(10, endpoint.queue.batchSendDeadlineMs / 2));
    this.#timer = setInterval(() => this.#pump(), tick);
    this.#timer.unref();
  }

  /** The message being sent now (2.0 may have fallen back to 1.0). */
  get message(): RemoteWriteMessage {
    return this.#message;
  }

  /** Samples waiting to be sent (not counting those in requests). */
  get queueLength(): number {
    return this.#queue.length;
  }

  /** Queues samples and sends what is due; a full shard drops its oldest. */
  enqueue(samples: readonly RemoteSample[]): void {
    if (this.#stopped || samples.length === 0) return;
    const dropped = this.#queue.push(samples, this.#clock());
    if (dropped > 0) this.#drop('queue_full', dropped, `the queue is full (capacity ${this.endpoint.queue.capacity} samples per shard): the oldest samples were dropped`);
    this.#reshard();
    this.#pump();
  }

  /** Sends everything queued now, whatever the batch deadline, and resolves once the queue is empty and nothing is in flight (or `stop()`). */
  flush(): Promise<void> {
    this.#flushing = true;
    const idle = this.#whenIdle().finally(() => {
      this.#flushing = false;
    });
    this.#pump();
    return idle;
  }

  /**
   * Stops sending: requests in flight end, retries give up. What is still queued, and the batches
   * being retried, go to `keep` oldest first when it is given (the state directory), else they are
   * dropped (reason `shutdown`).
   */
  stop(keep?: (samples: RemoteSample[]) => void): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (keep !== undefined) {
      const retrying = [...this.#inFlight].flatMap((batch) => batch.samples);
      for (const batch of this.#inFlight) this.#kept.add(batch);
      keep([...retrying, ...this.#queue.takeAll()]);
    }
    for (const sleep of this.#sleeps) {
      clearTimeout(sleep.timer);
      sleep.wake();
    }
    const left = this.#queue.clear();
    if (left > 0) this.#drop('shutdown', left, 'the sidecar stopped before these samples could be sent');
    this.#poster.close();
    this.#settleIdle();
  }

  /** More requests at once while the queue holds more than they take, fewer when it is nearly empty; never more while failing. */
  #reshard(): void {
    const { minShards, maxShards, maxSamplesPerSend } = this.endpoint.queue;
    const wanted = Math.min(maxShards, Math.max(minShards, Math.ceil(this.#queue.length / maxSamplesPerSend)));
    const current = this.stats.shards;
    if (wanted > current && this.stats.consecutiveFailures > 0) return;
    this.stats.shards = wanted >= current ? wanted : Math.max(wanted, Math.floor(current / 2));
  }

  #pump(): void {
    if (this.#stopped) return;
    const { maxSamplesPerSend, batchSendDeadlineMs } = this.endpoint.queue;
    while (this.#inFlight.size < this.stats.shards) {
      const batch = this.#queue.takeBatch(maxSamplesPerSend, this.#clock(), batchSendDeadlineMs, this.#flushing);
      if (batch === undefined) break;
      this.#inFlight.add(batch);
      void this.#send(batch)
        .catch((error: unknown) => this.#drop('encode_error', batch.samples.length, `the batch could not be sent: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.#inFlight.delete(batch);
          this.#queue.release(batch.shards);
          this.#settleIdle();
          this.#pump();
        });
    }
    this.stats.queueLength = this.#queue.length;
  }

  /**
   * Sends a batch: in one request, or, when its encoding is larger than `MAX_REQUEST_BYTES`
   * (series with very long labels), in halves one after the other, so that order is kept.
   */
  async #send(batch: Batch, taken: Batch = batch): Promise<void> {
    // Each batch is encoded in a turn of its own: many shards starting at once do not hold the
    // event loop for all their encodings together.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#stopped) {
      await this.#sendWhole(batch, taken, undefined);
      return;
    }
    const message = this.#message;
    const encoded = encodeWriteRequest(message, batch.samples, this.#writer);
    if (encoded.length <= this.#maxRequestBytes || batch.samples.length === 1) {
      await this.#sendWhole(batch, taken, { message, body: compressSnappy(encoded) });
      return;
    }
    const half = Math.ceil(batch.samples.length / 2);
    await this.#send({ samples: batch.samples.slice(0, half), shards: batch.shards }, taken);
    await this.#send({ samples: batch.samples.slice(half), shards: batch.shards }, taken);
  }

  /**
   * Sends a batch in one request until it is written, refused for good, or the writer stops;
   * `taken`: the batch it is part of; `request`: its body, compressed, kept for the retries while
   * the message stays the same (a fallback to 1.0 encodes it again).
   */
  async #sendWhole(batch: Batch, taken: Batch, request: { message: RemoteWriteMessage; body: Uint8Array } | undefined): Promise<void> {
    let attempt = 0;
    for (;;) {
      if (this.#stopped) {
        if (!this.#kept.has(taken)) this.#drop('shutdown', batch.samples.length, 'the sidecar stopped while these samples were being retried');
        return;
      }
      const message = this.#message;
      if (request?.message !== message) request = { message, body: compressSnappy(encodeWriteRequest(message, batch.samples, this.#writer)) };
      const { body } = request;
      const started = this.#clock();
      const outcome = await this.#poster.post(body, message);
      this.stats.lastRequestDurationMs = this.#clock() - started;
      const verdict = this.#judge(outcome, message, batch.samples.length);
      if (verdict.kind === 'sent') {
        this.#recordSent(batch.samples, body.length);
        return;
      }
      if (verdict.kind === 'resend') continue; // fell back to 1.0: the same batch at once
      if (verdict.kind === 'drop') {
        // The endpoint answered: it is up, whatever it thought of this batch.
        this.stats.consecutiveFailures = 0;
        this.#drop(verdict.reason, batch.samples.length, verdict.detail);
        this.stats.requests.failed++;
        return;
      }
      this.stats.requests.retried++;
      this.stats.samplesRetried += batch.samples.length;
      this.stats.consecutiveFailures++;
      this.#setError(verdict.detail);
      const { minBackoffMs, maxBackoffMs } = this.endpoint.queue;
      await this.#sleep(retryDelayMs(attempt++, minBackoffMs, maxBackoffMs, verdict.retryAfterMs, this.#random));
    }
  }

  #judge(
    outcome: PostOutcome,
    message: RemoteWriteMessage,
    samples: number,
  ): { kind: 'sent' } | { kind: 'resend' } | { kind: 'drop'; reason: DropReason; detail: string } | { kind: 'retry'; retryAfterMs: number | undefined; detail: string } {
    if (outcome.kind === 'failed') return { kind: 'retry', retryAfterMs: undefined, detail: `no answer: ${outcome.error}` };
    const { status, headers, body } = outcome;
    const said = body === '' ? '' : `: ${body}`;
    const v2 = message === 'io.prometheus.write.v2.Request';
    if (status >= 200 && status < 300) {
      if (v2 && !WRITTEN_HEADERS.some((name) => headers[name] !== undefined)) return this.#fallBack(`it answered ${status} without X-Prometheus-Remote-Write-*-Written headers (a remote write 1.0 receiver)`);
      return { kind: 'sent' };
    }
    if (v2 && status === 415) return this.#fallBack(`it answered 415 Unsupported Media Type to io.prometheus.write.v2.Request${said}`);
    const retryAfterMs = parseRetryAfter(headers['retry-after'], this.#clock());
    if (status >= 500 || (status === 429 && this.endpoint.queue.retryOnHttp429)) return { kind: 'retry', retryAfterMs, detail: `HTTP ${status}${said}` };
    const detail = `the endpoint refused ${samples} samples with HTTP ${status}${said}; not retried (a 4xx other than 429 means the data itself is refused)`;
    return { kind: 'drop', reason: status === 429 ? 'http_429' : 'http_4xx', detail: this.#logOnce(String(status), detail) };
  }

  #fallBack(why: string): { kind: 'resend' } {
    this.#message = 'prometheus.WriteRequest';
    this.stats.message = this.#message;
    this.stats.fallbacks++;
    this.#logger?.warn(`remote write ${this.endpoint.name}: falling back to remote write 1.0 (prometheus.WriteRequest): ${why}; the batch is sent again as 1.0`);
    return { kind: 'resend' };
  }

  #logOnce(key: string, detail: string): string {
    if (!this.#logged.has(key)) {
      this.#logged.add(key);
      this.#logger?.warn(`remote write ${this.endpoint.name}: ${detail} (logged once per status; counted in otel_prom_bridge_remote_write_samples_dropped_total)`);
    }
    return detail;
  }

  #recordSent(samples: readonly RemoteSample[], bytes: number): void {
    const stats = this.stats;
    stats.requests.sent++;
    stats.bytesSent += bytes;
    stats.consecutiveFailures = 0;
    let newest = stats.newestSentTimestampMs;
    for (const sample of samples) {
      if (sample.histogram === undefined) stats.samplesSent++;
      else stats.histogramsSent++;
      if (sample.timestampMs > newest) newest = sample.timestampMs;
    }
    stats.newestSentTimestampMs = newest;
    stats.lastSuccessMs = this.#clock();
  }

  #drop(reason: DropReason, count: number, detail: string): void {
    this.stats.samplesDropped[reason] += count;
    this.#setError(detail);
    if (reason === 'queue_full') this.#logOnce('queue_full', detail);
    if (reason === 'shutdown') this.#logger?.warn(`remote write ${this.endpoint.name}: ${count} samples dropped: ${detail}`);
  }

  #setError(detail: string): void {
    this.stats.lastError = detail;
    this.stats.lastErrorMs = this.#clock();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleep = {
        timer: setTimeout(() => {
          this.#sleeps.delete(sleep);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleep.timer.unref();
      this.#sleeps.add(sleep);
    });
  }

  #whenIdle(): Promise<void> {
    if (this.#stopped || (this.#queue.length === 0 && this.#inFlight.size === 0)) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #settleIdle(): void {
    this.stats.queueLength = this.#queue.length;
    if (!this.#stopped && (this.#queue.length > 0 || this.#inFlight.size > 0)) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
