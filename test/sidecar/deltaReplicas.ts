/**
 * Replicas of one service as the official OpenTelemetry JS SDK runs them: MeterProviders with the
 * same resource (a service name, no service.instance.id, so one identity), each pushing delta
 * temporality through a real OTLP exporter (protobuf, JSON and gRPC in turn) when flushed. Each
 * records seeded random whole amounts into a counter, a histogram and an exponential histogram;
 * `recorded` adds up everything they recorded: what the sidecar must expose.
 */
import assert from 'node:assert/strict';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type AggregationTemporality,
  AggregationType,
  type InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { SeededRandom } from '../helpers/seededRandom.ts';
import { TIMEOUT_MS } from './sidecarHarness.ts';

/** The `job` every replica's series get (no `instance`). */
export const REPLICA_JOB = 'replicas';
export const SIZE_BOUNDS = [10, 100, 1000];
/** Values of the counter's one attribute, `kind`. */
export const KINDS = ['web', 'batch'] as const;

/** Where the replicas push: the sidecar's OTLP/HTTP URL and OTLP/gRPC URL. */
export interface PushUrls {
  readonly http: string;
  readonly grpc: string;
}

const EXPORTERS: readonly ((urls: PushUrls) => PushMetricExporter)[] = [
  ({ http }) => new ProtoExporter({ url: http, temporalityPreference: AggregationTemporalityPreference.DELTA, timeoutMillis: TIMEOUT_MS }),
  ({ http }) => new JsonExporter({ url: http, temporalityPreference: AggregationTemporalityPreference.DELTA, timeoutMillis: TIMEOUT_MS }),
  ({ grpc }) => new GrpcExporter({ url: grpc, temporalityPreference: AggregationTemporalityPreference.DELTA, timeoutMillis: TIMEOUT_MS }),
];

/** Everything the replicas recorded, added up. */
export class Recorded {
  /** `jobs.done` by `kind`. */
  readonly jobs = new Map<string, number>(KINDS.map((kind) => [kind, 0]));
  /** Every value recorded into `job.size` (explicit buckets). */
  readonly sizes: number[] = [];
  /** Every value recorded into `job.latency` (exponential buckets). */
  readonly latencies: number[] = [];

  /** `job.size` as Prometheus buckets: cumulative counts keyed by `le`. */
  sizeBuckets(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const bound of SIZE_BOUNDS) result[String(bound)] = this.sizes.filter((value) => value <= bound).length;
    result['+Inf'] = this.sizes.length;
    return result;
  }

  /** The totals up to now: `jobs.done` by kind, and how many `job.size` values. */
  snapshot(): { jobs: Map<string, number>; sizes: number } {
    return { jobs: new Map(this.jobs), sizes: this.sizes.length };
  }
}

/**
 * Passes every export on and notes, per `jobs.done` series, the windows (start, end) each replica
 * sent and the value. sdk-metrics stamps windows in whole milliseconds (`Date.now()`), so replicas
 * collecting in the same millisecond send identical windows: a window alone cannot tell them from
 * a retry.
 */
class WindowNotingExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly #windows: Map<string, Map<number, number>>;
  readonly #replica: number;

  constructor(inner: PushMetricExporter, replica: number, windows: Map<string, Map<number, number>>) {
    this.#inner = inner;
    this.#replica = replica;
    this.#windows = windows;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    for (const { metrics: scopeMetrics } of metrics.scopeMetrics) {
      for (const metric of scopeMetrics) {
        if (metric.descriptor.name !== 'jobs.done') continue;
        for (const point of metric.dataPoints) {
          const window = JSON.stringify([point.attributes, point.startTime, point.endTime]);
          this.#windows.set(window, (this.#windows.get(window) ?? new Map<number, number>()).set(this.#replica, point.value as number));
        }
      }
    }
    this.#inner.export(metrics, resultCallback);
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    assert.ok(this.#inner.selectAggregationTemporality, 'the official exporters choose a temporality');
    return this.#inner.selectAggregationTemporality(instrumentType);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}

interface Replica {
  readonly provider: MeterProvider;
  readonly reader: PeriodicExportingMetricReader;
  record(random: SeededRandom): void;
}

export class DeltaReplicas {
  readonly recorded = new Recorded();
  readonly #replicas: Replica[];
  /** Each `jobs.done` series' window sent (attributes, start and end, as JSON) → the replicas that sent it → the value each sent. */
  readonly #windows = new Map<string, Map<number, number>>();

  /** `count` replicas; the readers export only when flushed (their interval is far beyond any test). */
  constructor(urls: PushUrls, count: number) {
    this.#replicas = Array.from({ length: count }, (_, i) => this.#startReplica(new WindowNotingExporter(EXPORTERS[i % EXPORTERS.length]!(urls), i, this.#windows)));
  }

  get count(): number {
    return this.#replicas.length;
  }

  /** Every replica records a few seeded amounts (some none on an instrument). */
  recordRound(random: SeededRandom): void {
    for (const replica of this.#replicas) replica.record(random);
  }

  /** Every replica exports at once. */
  async flushAll(): Promise<void> {
    await Promise.all(this.#replicas.map(({ reader }) => reader.forceFlush()));
  }

  /** Every replica exports, one after another, in a seeded order. */
  async flushOneByOne(random: SeededRandom): Promise<void> {
    for (const { reader } of shuffled(random, this.#replicas)) await reader.forceFlush();
  }

  /** `n` replicas (seeded) export at once; the others' next window spans this one too. */
  async flushSome(random: SeededRandom, n: number): Promise<void> {
    await Promise.all(shuffled(random, this.#replicas).slice(0, n).map(({ reader }) => reader.forceFlush()));
  }

  /** A few words on the `jobs.done` windows sent: how many, how many more than one replica sent, and of those how many with one value twice. */
  describeWindows(): string {
    const shared = [...this.#windows.values()].filter((replicas) => replicas.size > 1);
    const sameValue = shared.filter((replicas) => new Set(replicas.values()).size < replicas.size).length;
    return `${shared.length} of the ${this.#windows.size} jobs.done windows (series, start, end) were sent by more than one replica, ${sameValue} of those with the same value by two`;
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.#replicas.map(({ provider }) => provider.shutdown()));
  }

  #startReplica(exporter: PushMetricExporter): Replica {
    const recorded = this.recorded;
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': REPLICA_JOB }),
      readers: [reader],
      views: [{ instrumentName: 'job.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const meter = provider.getMeter('replica', '1.0.0');
    const jobs = meter.createCounter('jobs.done', { unit: '{job}' });
    const size = meter.createHistogram('job.size', { unit: 'By', advice: { explicitBucketBoundaries: SIZE_BOUNDS } });
    const latency = meter.createHistogram('job.latency', { unit: 'ms' });
    return {
      provider,
      reader,
      record(random) {
        for (const kind of KINDS) {
          if (!random.chance(0.7)) continue;
          const amount = random.between(1, 100);
          jobs.add(amount, { kind });
          recorded.jobs.set(kind, recorded.jobs.get(kind)! + amount);
        }
        // Whole numbers: every sum is exact whatever the order of adding.
        for (let i = random.between(0, 4); i > 0; i--) {
          const value = random.between(0, 2000);
          size.record(value);
          recorded.sizes.push(value);
        }
        for (let i = random.between(0, 3); i > 0; i--) {
          const value = random.between(1, 5000);
          latency.record(value);
          recorded.latencies.push(value);
        }
      },
    };
  }
}

function shuffled<T>(random: SeededRandom, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
