import assert from 'node:assert/strict';
import { get } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { PROTOBUF_CONTENT_TYPE } from '../../../src/exposition/protobuf/protobufFormat.ts';
import { PrometheusExporter } from '../../../src/index.ts';
import { recordingLogger } from '../../helpers/recordingLogger.ts';
import { decodeMetricFamilies, type Decoded } from './decodeMetricFamilies.ts';

/** What Prometheus 3 sends with `scrape_native_histograms: true` (2.x with the feature flag sends the same first range). */
const PROMETHEUS_NATIVE_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

const exporters: PrometheusExporter[] = [];
const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown().catch(() => undefined)));
  await Promise.all(exporters.splice(0).map((exporter) => exporter.stopServer()));
});

/** The drop-in exporter on a free port, fed by a real MeterProvider whose `payload.size` histogram is exponential. */
async function startSdk(): Promise<{ url: string; provider: MeterProvider }> {
  const exporter = await new Promise<PrometheusExporter>((resolve, reject) => {
    const created: PrometheusExporter = new PrometheusExporter({ host: '127.0.0.1', port: 0, logger: recordingLogger() }, (error) => (error ? reject(error) : resolve(created)));
  });
  exporters.push(exporter);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'protobuf-test' }),
    readers: [exporter],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  providers.push(provider);
  const url = exporter.address()?.url;
  assert.ok(url !== undefined);
  return { url, provider };
}

function getBytes(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      response.once('error', reject);
    }).once('error', reject);
  });
}

function byName(families: Decoded[], name: string): Decoded {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `${name} in ${families.map((f) => f.name).join(', ')}`);
  return found;
}

/** Native buckets as absolute index → count, as Prometheus reads spans and deltas. */
function nativeBuckets(spans: Decoded[] | undefined, deltas: number[] | undefined): Map<number, number> {
  const out = new Map<number, number>();
  let index = 0;
  let count = 0;
  let d = 0;
  for (const span of spans ?? []) {
    index += span.offset ?? 0;
    for (let k = 0; k < (span.length ?? 0); k++) {
      count += deltas![d++]!;
      if (count !== 0) out.set(index, count);
      index++;
    }
  }
  return out;
}

describe('protobuf scrape of the drop-in exporter, with data the SDK really produces', () => {
  for (const gzip of [false, true]) {
    it(`answers Prometheus' native-histogram Accept header with decodable MetricFamily messages, gzip ${gzip ? 'on' : 'off'}`, async () => {
      const { url, provider } = await startSdk();
      const meter = provider.getMeter('shop', '1.2.0');
      meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served.' }).add(5, { 'http.route': '/items' });
      const sizes = meter.createHistogram('payload.size', { unit: 'By', description: 'Payload sizes.' });
      for (const value of [0, 1, 3, 3, 1000, 1000.5]) sizes.record(value, { 'http.route': '/items' });

      const response = await getBytes(url, { accept: PROMETHEUS_NATIVE_ACCEPT, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) });
      assert.equal(response.status, 200);
      assert.ok(String(response.headers['content-type']).startsWith(PROTOBUF_CONTENT_TYPE), String(response.headers['content-type']));
      assert.equal(response.headers['content-encoding'], gzip ? 'gzip' : undefined);
      const families = decodeMetricFamilies(gzip ? gunzipSync(response.body) : response.body);

      const requests = byName(families, 'http_server_requests_total');
      assert.equal(requests.type, 'COUNTER');
      assert.equal(requests.help, 'Requests served.');
      assert.equal(requests.metric[0].counter.value, 5);
      assert.ok(requests.metric[0].counter.createdTimestamp.seconds > 1_600_000_000, 'the SDK\'s start time as the created timestamp');
      const labels = requests.metric[0].label.map((l: Decoded) => l.name);
      assert.deepEqual(labels, [...labels].sort(), 'labels sorted by name');
      assert.ok(labels.includes('http_route') && labels.includes('otel_scope_name'));

      const payload = byName(families, 'payload_size_bytes');
      assert.equal(payload.type, 'HISTOGRAM');
      assert.equal(payload.unit, 'bytes');
      const histogram = payload.metric[0].histogram;
      assert.equal(histogram.sampleCount, 6);
      assert.equal(histogram.sampleSum, 2007.5);
      assert.equal(histogram.zeroCount, 1, 'the 0 recorded');
      assert.equal(histogram.zeroThreshold, 1e-128);
      assert.ok(histogram.schema >= -4 && histogram.schema <= 8, `schema ${histogram.schema} (the SDK starts at scale 20)`);
      const buckets = nativeBuckets(histogram.positiveSpan, histogram.positiveDelta);
      const total = [...buckets.values()].reduce((a, b) => a + b, 0);
      assert.equal(total + histogram.zeroCount, histogram.sampleCount, 'Prometheus refuses a native histogram whose buckets do not add up to its count');
      // Each recorded value lies in its native bucket (base^(i-1), base^i].
      const base = 2 ** (2 ** -histogram.schema);
      for (const value of [1, 3, 1000, 1000.5]) {
        const index = [...buckets.keys()].find((i) => value > base ** (i - 1) * (1 - 1e-12) && value <= base ** i * (1 + 1e-12));
        assert.ok(index !== undefined, `${value} in a native bucket of schema ${histogram.schema}: ${[...buckets]}`);
      }
      assert.equal(histogram.bucket.at(-1).upperBound, Infinity);
      assert.equal(histogram.bucket.at(-1).cumulativeCount, 6, 'classic buckets beside the native ones, for scrapers that ignore those');
    });
  }

  it('still answers text to a scraper that does not ask for protobuf', async () => {
    const { url } = await startSdk();
    const response = await getBytes(url, { accept: 'text/plain;version=0.0.4' });
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });
});
