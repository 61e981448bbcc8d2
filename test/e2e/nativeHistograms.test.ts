/**
 * End to end: a real Prometheus 2.42 with `--enable-feature=native-histograms` (it then asks for
 * the protobuf exposition first) scraping every source of the bridge — the PrometheusExporter, the
 * PeriodicPrometheusReader, `metricsPlugin` on an app's own fastify, and the sidecar fed by the
 * official OTLP exporter. OpenTelemetry exponential histograms arrive as native histograms:
 * `histogram_count` and `histogram_sum` exact, `histogram_quantile` within the bucket width of
 * their schema; classic histograms and counters exact over protobuf.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import Fastify, { type FastifyInstance } from 'fastify';
import { metricsPlugin, PeriodicPrometheusReader, PrometheusExporter } from '../../src/index.ts';
import { quietLogger, startSidecar, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type RunningPrometheus, type VectorSample } from '../helpers/prometheus.ts';
import { stopAll } from '../helpers/stopAll.ts';

/** Exactly representable in binary: sums compare exactly. */
const WIDE_RECORDINGS = [0.001953125, 0.25, 0.5, 1, 1.5, 3, 12, 96, 768, 1024];
/** Within a ratio of 1.18: the SDK's 160 buckets fit them at scale 9, which the bridge brings down to 8. */
const NARROW_RECORDINGS = [1.0625, 1.09375, 1.125, 1.125, 1.15625, 1.1875, 1.25];
/** One value: the SDK keeps its finest scale, 20. */
const PINNED_RECORDINGS = [3, 3, 3, 3];
const CLASSIC_RECORDINGS = [0.0625, 0.25, 0.75, 0.75, 2];
const CLASSIC_BOUNDARIES = [0.1, 0.5, 1, 5];
/** Over protobuf, Prometheus writes `le` as OpenMetrics floats do (`1.0`, not `1` as in our text). */
const CLASSIC_BUCKETS: Record<string, number> = { '0.1': 1, '0.5': 2, '1.0': 4, '5.0': 5, '+Inf': 5 };
const COUNTER_VALUE = 42;

/** The sidecar also gets a point built by hand: negative buckets and a zero bucket, which the SDK never records. */
const PUSHED_SCALE = 2;
const PUSHED = {
  zeroCount: 3,
  positive: { offset: 4, bucketCounts: [1, 0, 2] }, // (2^1, 2^1.25], (2^1.5, 2^1.75]
  negative: { offset: -2, bucketCounts: [5] }, // [-2^-0.25, -2^-0.5)
  count: 11,
  sum: -2.5,
};

const SOURCES = ['exporter', 'periodic', 'plugin', 'sidecar'] as const;
type Source = (typeof SOURCES)[number];

const skip = skipUnlessInstalled(['prometheus']);

/** Exponential histogram views for the two instruments that need them; the classic one keeps explicit buckets. */
const VIEWS: ViewOptions[] = [
  { instrumentName: 'wide_latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
  { instrumentName: 'narrow_latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
  { instrumentName: 'pinned_latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
];

/** Each exponential histogram, its recordings, and the widest bucket ratio its schema may have once scraped. */
const EXPONENTIAL = [
  // 2^-9 … 2^10 in 160 buckets: scale 3 (2^(1/8) wide); allow scale 2.
  { metric: 'wide_latency_seconds', values: WIDE_RECORDINGS, growth: 2 ** (2 ** -2) },
  { metric: 'narrow_latency_seconds', values: NARROW_RECORDINGS, growth: 2 ** (2 ** -8) },
  { metric: 'pinned_latency_seconds', values: PINNED_RECORDINGS, growth: 2 ** (2 ** -8) },
] as const;

function record(provider: MeterProvider, source: Source): void {
  const meter = provider.getMeter('native-e2e', '1.0.0');
  const attributes = { source };
  const wide = meter.createHistogram('wide_latency', { unit: 's' });
  for (const value of WIDE_RECORDINGS) wide.record(value, attributes);
  const narrow = meter.createHistogram('narrow_latency', { unit: 's' });
  for (const value of NARROW_RECORDINGS) narrow.record(value, attributes);
  const pinned = meter.createHistogram('pinned_latency', { unit: 's' });
  for (const value of PINNED_RECORDINGS) pinned.record(value, attributes);
  const classic = meter.createHistogram('classic_latency', { unit: 's', advice: { explicitBucketBoundaries: CLASSIC_BOUNDARIES } });
  for (const value of CLASSIC_RECORDINGS) classic.record(value, attributes);
  meter.createCounter('jobs_done').add(COUNTER_VALUE, attributes);
}

function pushedRequest(nowNs: bigint): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'native-pusher' } }] },
        scopeMetrics: [
          {
            scope: { name: 'native-e2e' },
            metrics: [
              {
                name: 'pushed_values',
                exponentialHistogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      startTimeUnixNano: String(nowNs - 60_000_000_000n),
                      timeUnixNano: String(nowNs),
                      scale: PUSHED_SCALE,
                      ...PUSHED,
                      attributes: [{ key: 'source', value: { stringValue: 'sidecar' } }],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

function sumOf(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The q-quantile of the recordings, as Prometheus estimates it from buckets: the rank's value. */
function trueQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('a real Prometheus 2.42 with native histograms scraping each source over protobuf', { skip, timeout: 90_000 }, () => {
  const providers: MeterProvider[] = [];
  let exporter: PrometheusExporter | undefined;
  let periodic: PeriodicPrometheusReader | undefined;
  let pluginReader: PeriodicPrometheusReader | undefined;
  let app: FastifyInstance | undefined;
  let sidecar: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;

  before(async () => {
    requireExecutable('prometheus');
    const resource = resourceFromAttributes({ 'service.name': 'native-e2e' });

    exporter = new PrometheusExporter({ host: '127.0.0.1', port: 0 });
    periodic = new PeriodicPrometheusReader({ host: '127.0.0.1', port: 0, collectIntervalMillis: 200 });
    pluginReader = new PeriodicPrometheusReader({ preventServerStart: true, collectIntervalMillis: 200 });
    sidecar = await startSidecar({ logger: quietLogger });
    const otlp = new PeriodicExportingMetricReader({
      exporter: new ProtoExporter({ url: `${sidecar.addresses.otlpHttp.url}` }),
      exportIntervalMillis: 500,
    });
    const readers = { exporter, periodic, plugin: pluginReader, sidecar: otlp } as const;
    for (const source of SOURCES) {
      const provider = new MeterProvider({ resource, views: VIEWS, readers: [readers[source]] });
      providers.push(provider);
      record(provider, source);
    }
    await exporter.startServer();
    await periodic.startServer();
    app = Fastify({ logger: false });
    await app.register(metricsPlugin, { source: pluginReader, path: '/app-metrics' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const appAddress = app.server.address();
    assert.ok(appAddress !== null && typeof appAddress === 'object');

    const pushed = await fetch(`${sidecar.addresses.otlpHttp.url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: pushedRequest(BigInt(Date.now()) * 1_000_000n),
    });
    assert.equal(pushed.status, 200, await pushed.text());

    prometheus = await startPrometheus({
      features: ['native-histograms'],
      scrapeIntervalSeconds: 1,
      targets: [
        { job: 'exporter', target: exporter.address()!.url },
        { job: 'periodic', target: periodic.address()!.url },
        { job: 'plugin', target: `127.0.0.1:${appAddress.port}`, metricsPath: '/app-metrics' },
        { job: 'sidecar', target: sidecar.addresses.metrics.url },
      ],
    });
    // The OTLP reader pushes every 500 ms; three scrapes of each target then see everything.
    await prometheus.waitForScrapes(3, 30_000);
  });

  after(async () => {
    await stopAll([
      () => prometheus?.stop(),
      () => app?.close(),
      ...providers.map((provider) => () => provider.shutdown()),
      () => exporter?.stopServer(),
      () => periodic?.stopServer(),
      () => sidecar?.sidecar.shutdown(),
    ]);
  });

  async function one(promql: string): Promise<number> {
    const result: readonly VectorSample[] = await prometheus!.queryVector(promql);
    assert.equal(result.length, 1, `${promql}: one sample, got ${JSON.stringify(result)}`);
    return Number(result[0]!.value[1]);
  }

  for (const source of SOURCES) {
    describe(source, () => {
      const where = `{source="${source}",job=~".+"}`;

      it('is up', async () => {
        assert.equal(await one(`up{job="${source}"}`), 1);
      });

      it('an exponential histogram is a native histogram: count and sum exact', async () => {
        for (const { metric, values } of EXPONENTIAL) {
          assert.equal(await one(`histogram_count(${metric}${where})`), values.length, metric);
          assert.equal(await one(`histogram_sum(${metric}${where})`), sumOf(values), metric);
        }
      });

      it('its quantiles fall in the right bucket of its schema (scales 9 and 20 brought down to 8)', async () => {
        for (const { metric, values, growth } of EXPONENTIAL) {
          for (const q of [0.25, 0.5, 0.9]) {
            const estimate = await one(`histogram_quantile(${q}, ${metric}${where})`);
            const expected = trueQuantile(values, q);
            assert.ok(estimate > expected / growth && estimate <= expected * growth, `${metric} q=${q}: ${estimate} vs ${expected}`);
          }
        }
      });

      it('a classic histogram keeps its buckets, exact', async () => {
        for (const [le, count] of Object.entries(CLASSIC_BUCKETS)) {
          assert.equal(await one(`classic_latency_seconds_bucket{source="${source}",le="${le}"}`), count, `le=${le}`);
        }
        assert.equal(await one(`classic_latency_seconds_count${where}`), CLASSIC_RECORDINGS.length);
        assert.equal(await one(`classic_latency_seconds_sum${where}`), sumOf(CLASSIC_RECORDINGS));
      });

      it('a counter is exact', async () => {
        assert.equal(await one(`jobs_done_total${where}`), COUNTER_VALUE);
      });
    });
  }

  it('the sidecar: a pushed histogram with negative buckets and a zero bucket, exact', async () => {
    const where = '{job="native-pusher",source="sidecar"}';
    assert.equal(await one(`histogram_count(pushed_values${where})`), PUSHED.count);
    assert.equal(await one(`histogram_sum(pushed_values${where})`), PUSHED.sum);
    // Buckets: 5 in [-0.84, -0.71), 3 at zero, then 1 in (2, 2.38] and 2 in (2.83, 3.36]; the median (5.5th) is in the zero bucket.
    assert.equal(await one(`histogram_fraction(-1, -0.5, pushed_values${where})`), 5 / 11);
    assert.equal(await one(`histogram_fraction(2, 4, pushed_values${where})`), 3 / 11);
    assert.ok(Math.abs(await one(`histogram_quantile(0.5, pushed_values${where})`)) < 1e-100, 'the median is in the zero bucket');
  });
});
