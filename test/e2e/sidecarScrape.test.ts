/**
 * End to end for the sidecar: two services, each a real MeterProvider with its own resource, push
 * through the official OTLP exporters (one over HTTP/protobuf with cumulative temporality, one over
 * gRPC with delta temporality), a real Prometheus 2.42 scrapes the sidecar with `honor_labels: true`,
 * and PromQL answers with what was recorded: per service `job`/`instance`, delta points
 * accumulated, exact histogram buckets, and one `target_info` per service.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { quietLogger, startSidecar, TIMEOUT_MS, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type Labels, type RunningPrometheus, type VectorSample } from '../helpers/prometheus.ts';
import { stopAll } from '../helpers/stopAll.ts';

const SCRAPE_JOB = 'sidecar';
const SCOPE = { otel_scope_name: 'sidecar-e2e', otel_scope_version: '2.0.0' };
const BOUNDARIES = [10, 100];

interface Service {
  readonly name: string;
  readonly transport: 'proto' | 'grpc';
  readonly temporality: AggregationTemporalityPreference;
  readonly resource: Readonly<Record<string, string>>;
  /** The job and instance the sidecar derives from the resource. */
  readonly identity: { readonly job: string; readonly instance: string };
  /** What the other resource attribute becomes on target_info. */
  readonly hostName: string;
  /** Recorded before the first and before the second push. */
  readonly pushes: readonly [Recording, Recording];
  readonly expected: { readonly orders: number; readonly buckets: Readonly<Record<string, number>>; readonly count: number; readonly sum: number; readonly active: number };
}

interface Recording {
  readonly orders: number;
  readonly durations: readonly number[];
  readonly active: number;
}

const SERVICES: readonly Service[] = [
  {
    name: 'checkout (exporter-metrics-otlp-proto, cumulative)',
    transport: 'proto',
    temporality: AggregationTemporalityPreference.CUMULATIVE,
    resource: { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'checkout-1', 'host.name': 'node-a' },
    identity: { job: 'shop/checkout', instance: 'checkout-1' },
    hostName: 'node-a',
    pushes: [
      { orders: 4, durations: [5, 50], active: 3 },
      { orders: 6, durations: [500], active: -1 },
    ],
    expected: { orders: 10, buckets: { '10': 1, '100': 2, '+Inf': 3 }, count: 3, sum: 555, active: 2 },
  },
  {
    name: 'billing (exporter-metrics-otlp-grpc, delta)',
    transport: 'grpc',
    temporality: AggregationTemporalityPreference.DELTA,
    resource: { 'service.name': 'billing', 'service.namespace': 'bank', 'service.instance.id': 'billing-7', 'host.name': 'node-b' },
    identity: { job: 'bank/billing', instance: 'billing-7' },
    hostName: 'node-b',
    // The second push alone (3 orders, 2 durations) differs from the accumulated totals.
    pushes: [
      { orders: 2, durations: [1, 20], active: 5 },
      { orders: 3, durations: [200, 300], active: -2 },
    ],
    expected: { orders: 5, buckets: { '10': 1, '100': 2, '+Inf': 4 }, count: 4, sum: 521, active: 3 },
  },
];

/** Passes everything to the official exporter and notes the temporality each exported metric had. */
class RecordingExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly temporalities = new Map<string, Set<AggregationTemporality>>();

  constructor(inner: PushMetricExporter) {
    this.#inner = inner;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    for (const scope of metrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const seen = this.temporalities.get(metric.descriptor.name) ?? new Set<AggregationTemporality>();
        seen.add(metric.aggregationTemporality);
        this.temporalities.set(metric.descriptor.name, seen);
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

const skip = skipUnlessInstalled(['prometheus']);

describe('a real Prometheus 2.42 scrapes the sidecar and its queries agree', { skip, timeout: 90_000 }, () => {
  let running: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;
  const providers: MeterProvider[] = [];
  const exporters = new Map<string, RecordingExporter>();

  before(async () => {
    requireExecutable('prometheus');
    running = await startSidecar({ logger: quietLogger });
    const addresses = running.addresses;

    const pushers = SERVICES.map((service) => {
      const options = { temporalityPreference: service.temporality, timeoutMillis: TIMEOUT_MS };
      const official =
        service.transport === 'proto' ? new ProtoExporter({ ...options, url: addresses.otlpHttp.url }) : new GrpcExporter({ ...options, url: addresses.otlpGrpc.url });
      const exporter = new RecordingExporter(official);
      exporters.set(service.name, exporter);
      // The interval is far beyond the test: only forceFlush() exports.
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
      const provider = new MeterProvider({ resource: resourceFromAttributes(service.resource), readers: [reader] });
      providers.push(provider);
      const meter = provider.getMeter(SCOPE.otel_scope_name, SCOPE.otel_scope_version);
      return {
        service,
        reader,
        orders: meter.createCounter('orders', { unit: '{order}', description: 'Orders taken.' }),
        duration: meter.createHistogram('order.duration', { unit: 'ms', description: 'Order time.', advice: { explicitBucketBoundaries: BOUNDARIES } }),
        active: meter.createUpDownCounter('jobs.active', { description: 'Jobs in progress.' }),
      };
    });

    for (const push of [0, 1] as const) {
      for (const { service, orders, duration, active } of pushers) {
        const recording = service.pushes[push];
        orders.add(recording.orders, { kind: 'web' });
        for (const value of recording.durations) duration.record(value);
        active.add(recording.active);
      }
      // Both services push at once, each the same instruments under the same scope.
      await Promise.all(pushers.map(({ reader }) => reader.forceFlush()));
    }

    prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: SCRAPE_JOB, target: addresses.metrics.url }] });
    // Two good scrapes: the first one is then committed and queryable.
    await prometheus.waitForScrapes(2);
  });

  after(() => stopAll([() => prometheus?.stop(), ...providers.map((provider) => () => provider.shutdown()), () => running?.sidecar.stop()]));

  function series(promql: string): Promise<readonly VectorSample[]> {
    assert.ok(prometheus, 'prometheus started');
    return prometheus.queryVector(promql);
  }

  it('scrapes the sidecar successfully, with no pushed point dropped', async () => {
    assert.deepEqual(valuesOf(await series(`up{job="${SCRAPE_JOB}"}`)), [1]);
    assert.ok(running);
    assert.deepEqual([...running.sidecar.droppedCounts()].filter(([, count]) => count > 0), []);
  });

  it('the exporters pushed with the temporality each service asked for', () => {
    const temporalities = (service: Service): Record<string, AggregationTemporality[]> =>
      Object.fromEntries([...(exporters.get(service.name)?.temporalities ?? [])].map(([name, seen]) => [name, [...seen]]));
    const [cumulative, delta] = SERVICES;
    assert.ok(cumulative && delta);
    assert.deepEqual(temporalities(cumulative), {
      orders: [AggregationTemporality.CUMULATIVE],
      'order.duration': [AggregationTemporality.CUMULATIVE],
      'jobs.active': [AggregationTemporality.CUMULATIVE],
    });
    // The SDK's delta preference keeps up-down counters cumulative.
    assert.deepEqual(temporalities(delta), {
      orders: [AggregationTemporality.DELTA],
      'order.duration': [AggregationTemporality.DELTA],
      'jobs.active': [AggregationTemporality.CUMULATIVE],
    });
  });

  for (const service of SERVICES) {
    describe(service.name, () => {
      const { job, instance } = service.identity;
      const selector = `job="${job}", instance="${instance}"`;
      const own = (labels: Labels): Labels => ({ ...labels, job, instance, ...SCOPE });

      it(`stores the counter as orders_total{${selector}} equal to every push added up`, async () => {
        const found = await series(`orders_total{${selector}}`);
        assert.deepEqual(
          found.map((sample) => sample.metric),
          [own({ __name__: 'orders_total', kind: 'web' })],
        );
        assert.deepEqual(valuesOf(found), [service.expected.orders]);
      });

      it('stores the histogram: each bucket, _count and _sum exact', async () => {
        const buckets = await series(`order_duration_milliseconds_bucket{${selector}}`);
        // As numbers: Prometheus 2.42 keeps `le` as scraped (`10` or `10.0`).
        const byLe = Object.fromEntries(buckets.map((sample) => [normalizeLe(sample.metric.le), Number(sample.value[1])]));
        assert.deepEqual(byLe, service.expected.buckets);
        for (const sample of buckets) {
          const { le: _le, ...rest } = sample.metric;
          assert.deepEqual(rest, own({ __name__: 'order_duration_milliseconds_bucket' }));
        }
        assert.deepEqual(valuesOf(await series(`order_duration_milliseconds_count{${selector}}`)), [service.expected.count]);
        assert.deepEqual(valuesOf(await series(`order_duration_milliseconds_sum{${selector}}`)), [service.expected.sum]);
      });

      it('stores the up-down counter as a gauge with its current value', async () => {
        const found = await series(`jobs_active{${selector}}`);
        assert.deepEqual(
          found.map((sample) => sample.metric),
          [own({ __name__: 'jobs_active' })],
        );
        assert.deepEqual(valuesOf(found), [service.expected.active]);
      });

      it('has one target_info carrying the other resource attribute, not service.name', async () => {
        const info = await series(`target_info{${selector}}`);
        assert.equal(info.length, 1, JSON.stringify(info));
        // job/instance stand for service.name, service.namespace and service.instance.id; no scope labels.
        assert.deepEqual(info[0]!.metric, { __name__: 'target_info', job, instance, host_name: service.hostName });
        assert.deepEqual(valuesOf(info), [1]);
      });
    });
  }

  it('keeps the two services apart: each job/instance has only its own series', async () => {
    const pushed = '{__name__=~"orders_total|order_duration_milliseconds_(bucket|count|sum)|jobs_active|target_info"}';
    const groups = await series(`count by (job, instance) (${pushed})`);
    const byIdentity = Object.fromEntries(groups.map((sample) => [`${sample.metric.job} ${sample.metric.instance}`, Number(sample.value[1])]));
    // Per service: orders_total, 3 buckets, _count, _sum, jobs_active, target_info.
    assert.deepEqual(byIdentity, { 'shop/checkout checkout-1': 8, 'bank/billing billing-7': 8 });
    const hosts = await series('target_info');
    assert.deepEqual(hosts.map((sample) => `${sample.metric.job} ${sample.metric.host_name}`).sort(), ['bank/billing node-b', 'shop/checkout node-a']);
  });
});

function valuesOf(samples: readonly VectorSample[]): number[] {
  return samples.map((sample) => Number(sample.value[1]));
}

function normalizeLe(le: string | undefined): string {
  return le === undefined || le === '+Inf' ? String(le) : String(Number(le));
}
