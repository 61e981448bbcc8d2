/**
 * Remote write end to end: services push through the official OTLP exporters (HTTP/protobuf
 * cumulative, gRPC delta) into the sidecar, which remote-writes to a real Prometheus 2.42 started
 * with `--web.enable-remote-write-receiver` (and native histograms); PromQL reads back what was
 * recorded, each sample at the time of its OTLP point, with the scrape's names and labels. Then the
 * receiver goes down for several seconds while pushes go on, and comes back on the same storage:
 * every value pushed meanwhile arrives, none refused as out of order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { get, quietLogger, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { checkMetricsWithPromtool } from '../helpers/prometheus.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type RunningPrometheus, type VectorSample } from '../helpers/prometheus.ts';
import { stopAll } from '../helpers/stopAll.ts';
import { protobufRequest } from '../helpers/otlpRequests.ts';

const skip = skipUnlessInstalled(['prometheus']);

function values(samples: readonly VectorSample[]): number[] {
  return samples.map((sample) => Number(sample.value[1])).sort((a, b) => a - b);
}

describe('remote write into a real Prometheus 2.42 (--web.enable-remote-write-receiver)', { skip, timeout: 120_000 }, () => {
  let prometheus: RunningPrometheus | undefined;
  /** The second endpoint's receiver: two writers of one series into one receiver would refuse each other's older samples. */
  let nativeReceiver: RunningPrometheus | undefined;
  let running: RunningSidecar | undefined;
  const providers: MeterProvider[] = [];
  let cumulative: { reader: PeriodicExportingMetricReader; orders: ReturnType<ReturnType<MeterProvider['getMeter']>['createCounter']> } | undefined;
  let delta: typeof cumulative;
  let latency: ReturnType<ReturnType<MeterProvider['getMeter']>['createHistogram']> | undefined;
  let sizes: typeof latency;
  const pushedAt: number[] = [];

  before(async () => {
    requireExecutable('prometheus');
    [prometheus, nativeReceiver] = await Promise.all([
      startPrometheus({ targets: [], remoteWriteReceiver: true }),
      startPrometheus({ targets: [], remoteWriteReceiver: true, features: ['native-histograms'] }),
    ]);
    running = await startSidecar({
      logger: quietLogger,
      remoteWrite: {
        endpoints: [
          { url: `${prometheus.url}/api/v1/write`, name: 'classic', queue: { batchSendDeadlineMs: 50, minBackoffMs: 50, maxBackoffMs: 500 } },
          // A second endpoint: native histograms, its own receiver.
          { url: `${nativeReceiver.url}/api/v1/write`, name: 'native', sendNativeHistograms: true, headers: { 'X-Scope-OrgID': 'team-a' }, queue: { batchSendDeadlineMs: 50, minBackoffMs: 50, maxBackoffMs: 500 } },
        ],
        intervalMs: 100,
        externalLabels: { cluster: 'eu-1' },
      },
    });
    const { addresses } = running;
    const service = (name: string, temporality: AggregationTemporalityPreference, transport: 'proto' | 'grpc') => {
      const options = { temporalityPreference: temporality, timeoutMillis: TIMEOUT_MS };
      const exporter = transport === 'proto' ? new ProtoExporter({ ...options, url: addresses.otlpHttp.url }) : new GrpcExporter({ ...options, url: addresses.otlpGrpc.url });
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'service.name': name, 'service.instance.id': `${name}-1`, 'host.name': 'node-a' }),
        readers: [reader],
        views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      });
      providers.push(provider);
      const meter = provider.getMeter('rw-e2e', '1.0.0');
      return { reader, meter };
    };
    const a = service('checkout', AggregationTemporalityPreference.CUMULATIVE, 'proto');
    const b = service('billing', AggregationTemporalityPreference.DELTA, 'grpc');
    cumulative = { reader: a.reader, orders: a.meter.createCounter('orders', { unit: '{order}', description: 'Orders taken.' }) };
    delta = { reader: b.reader, orders: b.meter.createCounter('orders', { unit: '{order}', description: 'Orders taken.' }) };
    latency = a.meter.createHistogram('http.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
    sizes = b.meter.createHistogram('payload.size', { unit: 'By' });
  });

  after(() => stopAll([...providers.map((provider) => () => provider.shutdown()), () => running?.sidecar.stop(), () => prometheus?.stop(), () => nativeReceiver?.stop()]));

  async function push(orders: number): Promise<void> {
    assert.ok(cumulative && delta);
    cumulative.orders.add(orders, { kind: 'web' });
    delta.orders.add(orders, { kind: 'web' });
    pushedAt.push(Date.now());
    await Promise.all([cumulative.reader.forceFlush(), delta.reader.forceFlush()]);
  }

  async function query(promql: string): Promise<readonly VectorSample[]> {
    assert.ok(prometheus);
    return prometheus.queryVector(promql);
  }

  it('sends what the exporters pushed: counters, classic and exponential histograms, target_info, with external labels', async () => {
    assert.ok(running && latency && sizes);
    for (const value of [5, 50, 500]) latency.record(value);
    for (const value of [1, 2, 4, 1000]) sizes.record(value);
    await push(3);
    await running.sidecar.flushRemoteWrite();
    const orders = await pollUntil('both services\' orders_total at the receiver', async () => {
      const found = await query('orders_total');
      return found.length >= 2 ? found : undefined;
    }, 10_000);
    // One series per service.
    assert.deepEqual(values(orders), [3, 3]);
    assert.deepEqual(
      orders.map((sample) => [sample.metric.job, sample.metric.instance, sample.metric.cluster, sample.metric.kind, sample.metric.otel_scope_name]).sort(),
      [
        ['billing', 'billing-1', 'eu-1', 'web', 'rw-e2e'],
        ['checkout', 'checkout-1', 'eu-1', 'web', 'rw-e2e'],
      ],
    );
    assert.deepEqual(values(await query('http_latency_milliseconds_bucket{le="100"}')), [2]);
    assert.deepEqual(values(await query('http_latency_milliseconds_bucket{le="+Inf"}')), [3]);
    assert.deepEqual(values(await query('http_latency_milliseconds_sum')), [555]);
    assert.deepEqual(values(await query('count(target_info{cluster="eu-1", host_name="node-a"})')), [2]);
    // The native endpoint's exponential histogram is one native histogram series.
    const native = await pollUntil('the native histogram at the second receiver', async () => {
      const found = await nativeReceiver!.queryVector('histogram_count(payload_size_bytes)');
      return found.length > 0 ? found : undefined;
    }, 10_000);
    assert.deepEqual(values(native), [4]);
    assert.deepEqual(values(await nativeReceiver!.queryVector('histogram_sum(payload_size_bytes)')), [1007]);
    // The classic endpoint sent it as buckets, as the text exposition does.
    assert.deepEqual(values(await query('payload_size_bytes_count')), [4]);
    // Prometheus 2.42 does not keep remote write's metadata (test/outputs/push/remoteWrite decodes it).
  });

  it('counts per endpoint in its own metrics (promtool-clean) and shows each endpoint on the status page', async () => {
    assert.ok(running);
    const families = await scrape(running.addresses);
    assert.ok(valueOf(families, 'otel_prom_bridge_remote_write_samples_sent_total', { endpoint: 'classic' }) > 0);
    assert.equal(valueOf(families, 'otel_prom_bridge_remote_write_histograms_sent_total', { endpoint: 'native' }), 1);
    assert.equal(valueOf(families, 'otel_prom_bridge_remote_write_samples_dropped_total', { endpoint: 'classic', reason: 'queue_full' }), 0);
    assert.equal(valueOf(families, 'otel_prom_bridge_remote_write_shards', { endpoint: 'native' }), 1);
    assert.ok(valueOf(families, 'otel_prom_bridge_remote_write_lag_seconds', { endpoint: 'classic' }) >= 0);
    const text = await (await get(running.addresses.metrics.url)).text();
    const lint = await checkMetricsWithPromtool(text.split('\n').filter((line) => line.includes('otel_prom_bridge_remote_write')).join('\n') + '\n');
    assert.equal(lint.exitCode, 0, lint.output);
    const status = (await (await get(running.addresses.metrics.url.replace(/\/metrics$/, '/api/v1/status'))).json()) as { remoteWrite: { name: string; url: string; health: string; message: string; samplesSent: number }[] };
    assert.deepEqual(
      status.remoteWrite.map(({ name, health, message }) => ({ name, health, message })),
      [
        { name: 'classic', health: 'ok', message: 'prometheus.WriteRequest' },
        { name: 'native', health: 'ok', message: 'prometheus.WriteRequest' },
      ],
    );
    const page = await (await get(running.addresses.metrics.url.replace(/\/metrics$/, '/'))).text();
    assert.match(page, /<table id="remote-write">/);
    assert.match(page, /<code>classic<\/code>/);
  });

  it('each sample carries the time of its OTLP point', async () => {
    const [sample] = await query('timestamp(orders_total{job="checkout"})');
    assert.ok(sample);
    const at = Number(sample.value[1]) * 1000;
    assert.ok(Math.abs(at - pushedAt[0]!) < 5_000, `${at} near ${pushedAt[0]}`);
  });

  it('a receiver down for seconds gets every value pushed meanwhile, at its own time, none refused', async () => {
    assert.ok(running && prometheus && nativeReceiver);
    await Promise.all([prometheus.pause(), nativeReceiver.pause()]);
    for (const orders of [1, 2, 4]) {
      await push(orders);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const [classic] = running.sidecar.remoteWriteEndpoints();
    assert.ok(classic && classic.stats.requests.retried > 0, 'retried while down');
    await Promise.all([prometheus.resume(), nativeReceiver.resume()]);
    await pollUntil('every endpoint caught up', async () => (running!.sidecar.remoteWriteEndpoints().every((e) => e.stats.queueLength === 0 && e.stats.consecutiveFailures === 0) ? true : undefined), 20_000);
    await running.sidecar.flushRemoteWrite();
    // Cumulative: 3, 4, 6, 10 at four distinct times; delta accumulated to the same.
    for (const job of ['checkout', 'billing']) {
      const data = await prometheus.query(`orders_total{job="${job}"}[10m]`);
      assert.equal(data.resultType, 'matrix');
      const seen: number[] = data.resultType === "matrix" ? data.result[0]!.values.map(([, value]) => Number(value)) : [];
      assert.deepEqual(seen, [3, 4, 6, 10], job);
    }
    for (const endpoint of running.sidecar.remoteWriteEndpoints()) {
      assert.deepEqual(Object.values(endpoint.stats.samplesDropped).reduce((a, b) => a + b, 0), 0, `${endpoint.name} dropped nothing`);
    }
  });
});

describe('remote write 2.0 asked of a Prometheus 2.42, which takes only 1.0', { skip, timeout: 60_000 }, () => {
  let prometheus: RunningPrometheus | undefined;
  let running: RunningSidecar | undefined;
  after(() => stopAll([() => running?.sidecar.stop(), () => prometheus?.stop()]));

  it('falls back to 1.0 once (its 2xx has no written headers), says so, and the data arrives', async () => {
    requireExecutable('prometheus');
    prometheus = await startPrometheus({ targets: [], remoteWriteReceiver: true });
    const warnings: string[] = [];
    running = await startSidecar({
      logger: { warn: (line) => warnings.push(line), debug: () => undefined },
      remoteWrite: { endpoints: [{ url: `${prometheus.url}/api/v1/write`, name: 'v2', protobufMessage: 'io.prometheus.write.v2.Request' }], intervalMs: 100 },
    });
    const response = await fetch(running.addresses.otlpHttp.url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: protobufRequest('checkout', [{ name: 'orders', value: 9 }]) });
    assert.equal(response.status, 200);
    await running.sidecar.flushRemoteWrite();
    const [endpoint] = running.sidecar.remoteWriteEndpoints();
    assert.equal(endpoint?.stats.fallbacks, 1);
    assert.equal(endpoint?.stats.message, 'prometheus.WriteRequest');
    assert.ok(warnings.some((line) => /falling back to remote write 1\.0/.test(line)));
    // The request's timestamps are from 2023: ask Prometheus at that time.
    const data = await prometheus.api<{ result: VectorSample[] }>('query', { query: 'orders_total{job="checkout"}', time: '1700000000' });
    assert.deepEqual(values(data.result), [9]);
  });
});
