/**
 * A real MeterProvider pushes through each official OTLP exporter into the sidecar, and the
 * sidecar's /metrics has what was recorded, with job/instance and target_info.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import { samplesOf, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from './sidecarHarness.ts';

type ExporterOptions = { temporalityPreference: AggregationTemporalityPreference; compression: CompressionAlgorithm };

const EXPORTERS: Record<string, (addresses: SidecarAddresses, options: ExporterOptions) => PushMetricExporter> = {
  'exporter-metrics-otlp-proto (HTTP, protobuf)': (addresses, options) => new ProtoExporter({ url: addresses.otlpHttp.url, timeoutMillis: TIMEOUT_MS, ...options }),
  'exporter-metrics-otlp-http (HTTP, JSON)': (addresses, options) => new JsonExporter({ url: addresses.otlpHttp.url, timeoutMillis: TIMEOUT_MS, ...options }),
  'exporter-metrics-otlp-grpc': (addresses, options) => new GrpcExporter({ url: addresses.otlpGrpc.url, timeoutMillis: TIMEOUT_MS, ...options }),
};

const TEMPORALITIES = { cumulative: AggregationTemporalityPreference.CUMULATIVE, delta: AggregationTemporalityPreference.DELTA } as const;

/** A MeterProvider whose reader exports only when flushed (the interval is far beyond the test). */
function pushingProvider(exporter: PushMetricExporter, resource: Record<string, string>): { provider: MeterProvider; reader: PeriodicExportingMetricReader } {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(resource),
    readers: [reader],
    views: [{ instrumentName: 'queue.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  return { provider, reader };
}

const RESOURCE = { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-7' };
const IDENTITY = { job: 'shop/checkout', instance: 'pod-1' };

describe('the sidecar receives from the official OTLP exporters', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar();
  });
  after(async () => {
    await running.sidecar.stop();
  });

  for (const [exporterName, makeExporter] of Object.entries(EXPORTERS)) {
    for (const [temporalityName, temporalityPreference] of Object.entries(TEMPORALITIES)) {
      for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
        it(`${exporterName}, ${temporalityName}, compression ${compression}: /metrics has what was recorded`, async () => {
          // A resource of its own per case: the cases share the sidecar, their series stay apart.
          const instance = `${exporterName.split(' ')[0]}-${temporalityName}-${compression}`;
          const identity = { ...IDENTITY, instance };
          const { provider, reader } = pushingProvider(makeExporter(running.addresses, { temporalityPreference, compression }), {
            ...RESOURCE,
            'service.instance.id': instance,
          });
          try {
            const meter = provider.getMeter('sidecar-test', '1.0.0');
            const requests = meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served.' });
            const duration = meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
            const latency = meter.createHistogram('queue.latency', { unit: 's' });
            const active = meter.createUpDownCounter('jobs.active');
            const temperature = meter.createGauge('room.temperature', { unit: 'Cel' });

            requests.add(2, { route: '/a' });
            requests.add(1, { route: '/b' });
            duration.record(5);
            duration.record(50);
            latency.record(0.25);
            active.add(3);
            temperature.record(21.5);
            await reader.forceFlush();

            requests.add(3, { route: '/a' });
            duration.record(500);
            latency.record(4);
            latency.record(0.5);
            active.add(-1);
            temperature.record(22);
            await reader.forceFlush();

            const families = await scrape(running.addresses);
            const counter = samplesOf(families, 'http_server_requests_total', { ...identity, route: '/a' });
            assert.equal(counter.length, 1);
            assert.deepEqual(counter[0]!.labels, { ...identity, route: '/a', otel_scope_name: 'sidecar-test', otel_scope_version: '1.0.0' });
            assert.equal(counter[0]!.value, 5);
            assert.equal(valueOf(families, 'http_server_requests_total', { ...identity, route: '/b' }), 1);

            assert.equal(valueOf(families, 'http_server_duration_milliseconds_bucket', { ...identity, le: '10' }), 1);
            assert.equal(valueOf(families, 'http_server_duration_milliseconds_bucket', { ...identity, le: '100' }), 2);
            assert.equal(valueOf(families, 'http_server_duration_milliseconds_bucket', { ...identity, le: '+Inf' }), 3);
            assert.equal(valueOf(families, 'http_server_duration_milliseconds_count', identity), 3);
            assert.equal(valueOf(families, 'http_server_duration_milliseconds_sum', identity), 555);

            assert.equal(valueOf(families, 'queue_latency_seconds_count', identity), 3);
            assert.equal(valueOf(families, 'queue_latency_seconds_sum', identity), 4.75);
            assert.equal(valueOf(families, 'queue_latency_seconds_bucket', { ...identity, le: '+Inf' }), 3);

            assert.equal(valueOf(families, 'jobs_active', identity), 2);
            assert.equal(valueOf(families, 'room_temperature_celsius', identity), 22);

            const targetInfo = samplesOf(families, 'target_info', identity);
            assert.equal(targetInfo.length, 1);
            assert.deepEqual(targetInfo[0]!.labels, { ...identity, host_name: 'node-7', ...sdkResourceLabels(targetInfo[0]!.labels) });
            assert.equal(targetInfo[0]!.value, 1);
          } finally {
            await provider.shutdown();
          }
        });
      }
    }
  }

  it('keeps two services that push at once apart, each with its own target_info', async () => {
    const services = [
      { resource: { 'service.name': 'cart', 'service.instance.id': 'cart-1', region: 'eu' }, exporter: 'exporter-metrics-otlp-proto (HTTP, protobuf)', count: 7 },
      { resource: { 'service.name': 'billing', 'service.instance.id': 'billing-1', region: 'us' }, exporter: 'exporter-metrics-otlp-grpc', count: 11 },
    ];
    const pushers = services.map(({ resource, exporter }) =>
      pushingProvider(EXPORTERS[exporter]!(running.addresses, { temporalityPreference: AggregationTemporalityPreference.CUMULATIVE, compression: CompressionAlgorithm.NONE }), resource),
    );
    try {
      pushers.forEach(({ provider }, i) => provider.getMeter('shared-library').createCounter('orders').add(services[i]!.count, { kind: 'web' }));
      await Promise.all(pushers.map(({ reader }) => reader.forceFlush()));

      const families = await scrape(running.addresses);
      assert.equal(valueOf(families, 'orders_total', { job: 'cart', instance: 'cart-1', kind: 'web' }), 7);
      assert.equal(valueOf(families, 'orders_total', { job: 'billing', instance: 'billing-1', kind: 'web' }), 11);
      assert.equal(samplesOf(families, 'orders_total', { job: 'cart' }).length, 1);
      assert.equal(samplesOf(families, 'orders_total', { job: 'billing' }).length, 1);
      assert.equal(valueOf(families, 'target_info', { job: 'cart', instance: 'cart-1', region: 'eu' }), 1);
      assert.equal(valueOf(families, 'target_info', { job: 'billing', instance: 'billing-1', region: 'us' }), 1);
    } finally {
      await Promise.all(pushers.map(({ provider }) => provider.shutdown()));
    }
  });
});

/** The attributes the SDK adds to every resource (telemetry_sdk_*), whatever their values. */
function sdkResourceLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key.startsWith('telemetry_sdk_') || key === 'service_version'));
}
