import type { FeedAnswer, RemovedSeries, WrittenSeries } from '../../../model/changeFeed.ts';
import type { Logger } from '../../../model/dropCounter.ts';
import type { Family } from '../../../model/family.ts';
import type { LabelPairs } from '../../../translate/labelPairs.ts';
import { EndpointWriter } from './EndpointWriter.ts';
import { queueFilePath, takeQueueFile, writeQueueFile } from './queueFile.ts';
import type { EndpointStats } from './endpointStats.ts';
import { samplesOfSeries, staleMarkersOfSeries, type RemoteSample, type SampleOptions } from './remoteSample.ts';
import type { RemoteWriteEndpoint } from './remoteWriteEndpoint.ts';

/** Series a round turns into samples before it lets the event loop turn. */
const ROUND_SLICE_SERIES = 2_048;

/** What the output reads: the store's change feed (`SeriesStore` is one). */
export interface ChangeSource {
  generation(): number;
  writtenSince(generation: number): FeedAnswer<WrittenSeries>;
  /** Undefined when the removals since then are no longer all known: the output sends everything held instead. */
  removedSince(generation: number): FeedAnswer<RemovedSeries> | undefined;
  families(): readonly Family[];
}

export interface RemoteWriteOutputOptions {
  readonly source: ChangeSource;
  readonly endpoints: readonly RemoteWriteEndpoint[];
  /** Labels added to every series that has no label of that name (Prometheus' `external_labels`). */
  readonly externalLabels?: LabelPairs;
  /** How often what changed is forwarded, ms. */
  readonly intervalMs: number;
  readonly logger?: Logger | undefined;
  readonly clock?: () => number;
  /** Classic buckets an exponential histogram is brought down to when sent as classic buckets. */
  readonly maxExponentialBuckets?: number;
}

/** One endpoint as the status page and the self-metrics show it. */
export interface EndpointStatus {
  readonly name: string;
  readonly url: string;
  readonly stats: Readonly<EndpointStats>;
}

/**
 * The remote-write push output: every interval, the series the store wrote since the last round
 * (each sample at the time of its OTLP point) and stale markers for those it removed go to every
 * endpoint's queue; each endpoint sends on its own (`EndpointWriter`). Labels and names are the
 * scrape's (text 0.0.4): `job`, `instance`, `target_info`, promoted attributes, the namespace.
 */
export class RemoteWriteOutput {
  readonly #source: ChangeSource;
  readonly #writers: readonly EndpointWriter[];
  readonly #externalLabels: LabelPairs;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #maxExponentialBuckets: number | undefined;
  readonly #logger: Logger | undefined;
  /** The store's generation the last round read up to; undefined before the first round (everything held is sent). */
  #generation: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rounds = 0;
  /** The round being written, if one is. */
  #round: Promise<void> | undefined;

  constructor(options: RemoteWriteOutputOptions) {
    this.#source = options.source;
    this.#externalLabels = [...(options.externalLabels ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#intervalMs = options.intervalMs;
    this.#clock = options.clock ?? Date.now;
    this.#maxExponentialBuckets = options.maxExponentialBuckets;
    this.#logger = options.logger;
    this.#writers = options.endpoints.map((endpoint) => new EndpointWriter(endpoint, { logger: options.logger, clock: this.#clock }));
  }

  /** Forwards what changed every interval, from now on. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.round(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Rounds run so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /**
   * Queues what changed since the last round for every endpoint: stale markers for the series
   * removed (unless written again since), then the samples of the series written (the latest
   * point of each). The first round, and one after the store let go of older removals, sends every
   * series held. Resolves once all is queued.
   */
  round(): Promise<void> {
    // One round at a time: a timer tick while one is being written joins it.
    this.#round ??= this.#writeRound().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #writeRound(): Promise<void> {
    this.#rounds++;
    const source = this.#source;
    const generation = source.generation();
    const since = this.#generation;
    this.#generation = generation;
    let written: readonly WrittenSeries[];
    let removed: readonly RemovedSeries[] = [];
    const removals = since === undefined ? undefined : source.removedSince(since);
    if (since === undefined || removals === undefined) {
      written = source.families().flatMap((family) => [...family.series.values()].map((series) => ({ family, series }) as WrittenSeries));
    } else {
      written = source.writtenSince(since).series;
      removed = removals.series;
    }
    if (written.length === 0 && removed.length === 0) return;
    const nowMs = this.#clock();
    const kinds = [...new Set(this.#writers.map((writer) => this.#nativeFor(writer)))];
    // Stale markers first, and none for a series written again since it was removed (its new
    // samples follow, possibly older than now: the receiver would refuse them after the marker).
    if (removed.length > 0) {
      const rewritten = new Set<string>();
      for (const { family, series } of written) rewritten.add(`${family.name}\u0000${series.labelText}`);
      const gone = removed.filter(({ family, series }) => !rewritten.has(`${family.name}\u0000${series.labelText}`));
      for (const native of kinds) {
        const markers: RemoteSample[] = [];
        for (const { family, series } of gone) staleMarkersOfSeries(family, series, this.#sampleOptions(native), nowMs, markers);
        this.#enqueue(native, markers);
      }
    }
    // In slices, the event loop free between them: a round of 100,000 series takes a second or so,
    // and OTLP requests and scrapes go on meanwhile. A series written meanwhile is sent with its
    // newest point (and again next round: the same sample twice, which receivers take).
    for (let from = 0; from < written.length; from += ROUND_SLICE_SERIES) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const slice = written.slice(from, from + ROUND_SLICE_SERIES);
      for (const native of kinds) {
        const samples: RemoteSample[] = [];
        const options = this.#sampleOptions(native);
        for (const { family, series } of slice) samplesOfSeries(family, series, options, samples);
        this.#enqueue(native, samples);
      }
    }
  }

  /** Whether an endpoint is sent exponential histograms as native histograms. */
  #nativeFor(writer: EndpointWriter): boolean {
    return writer.message === 'io.prometheus.write.v2.Request' || writer.endpoint.sendNativeHistograms;
  }

  #enqueue(native: boolean, samples: RemoteSample[]): void {
    if (samples.length === 0) return;
    for (const writer of this.#writers) if (this.#nativeFor(writer) === native) writer.enqueue(samples);
  }

  #sampleOptions(nativeHistograms: boolean): SampleOptions {
    return {
      externalLabels: this.#externalLabels,
      nativeHistograms,
      ...(this.#maxExponentialBuckets === undefined ? {} : { maxExponentialBuckets: this.#maxExponentialBuckets }),
    };
  }

  /**
   * The drain: one last round, then waits (at most `timeoutMs`) for every endpoint to send what it
   * holds, then stops them; what is left is dropped and counted (reason `shutdown`).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.stopTimer();
    await this.round();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(this.#writers.map((writer) => writer.flush())), deadline]);
    clearTimeout(timer);
    this.stop();
  }

  stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Stops at once: nothing more is sent. With `stateDirectory`, what each endpoint still holds is
   * written there (`remote-write-<name>.queue`) and sent first after the next start; else dropped.
   */
  stop(stateDirectory?: string): void {
    this.stopTimer();
    for (const writer of this.#writers) {
      if (stateDirectory === undefined) {
        writer.stop();
        continue;
      }
      const path = queueFilePath(stateDirectory, writer.endpoint.name);
      writer.stop((samples) => {
        try {
          writeQueueFile(path, samples);
          if (samples.length > 0) this.#logger?.warn(`remote write ${writer.endpoint.name}: ${samples.length} samples not sent yet are kept in ${path}, to be sent after the next start`);
        } catch (error) {
          writer.stats.samplesDropped.shutdown += samples.length;
          this.#logger?.warn(`remote write ${writer.endpoint.name}: ${samples.length} samples not sent yet could not be kept in ${path} (${error instanceof Error ? error.message : String(error)}); they are dropped`);
        }
      });
    }
  }

  /** Queues what a previous run kept in `stateDirectory` (`stop(stateDirectory)`), ahead of anything new; a file that cannot be read is set aside and logged. */
  restoreQueues(stateDirectory: string): void {
    for (const writer of this.#writers) {
      try {
        const samples = takeQueueFile(queueFilePath(stateDirectory, writer.endpoint.name), this.#clock());
        if (samples === undefined) continue;
        writer.enqueue(samples);
        this.#logger?.warn(`remote write ${writer.endpoint.name}: ${samples.length} samples kept by the previous run are queued again`);
      } catch (error) {
        this.#logger?.warn(`remote write ${writer.endpoint.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Sends everything queued now and resolves once each endpoint is idle (tests, the drain). */
  flush(): Promise<void> {
    return Promise.all(this.#writers.map((writer) => writer.flush())).then(() => undefined);
  }

  endpoints(): EndpointStatus[] {
    return this.#writers.map((writer) => ({ name: writer.endpoint.name, url: redactedUrl(writer.endpoint.url), stats: writer.stats }));
  }
}

/** A URL without its credentials or query, for the status page and logs. */
function redactedUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
