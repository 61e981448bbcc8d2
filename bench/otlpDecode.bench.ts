/**
 * OTLP decoding speed: data points per second for decoding a 10,000-series request, next to
 * @opentelemetry/otlp-transformer's own encoding speed for the same data, median of 7 runs.
 *
 *   node bench/otlpDecode.bench.ts
 */
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeExportMetricsServiceRequestJson } from '../src/otlp/decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { PullReader } from '../test/helpers/PullReader.ts';

const SERIES = 10_000;
const RUNS = 7;
/** Each run repeats the operation until it has taken at least this long. */
const RUN_MS = 300;

interface Scenario {
  readonly name: string;
  readonly data: ResourceMetrics;
  readonly points: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

function seriesAttributes(i: number): Record<string, string | number> {
  return {
    'http.request.method': METHODS[i % 4]!,
    'http.route': `/api/v1/items/${Math.floor(i / 4) % 250}`,
    'http.response.status_code': 200 + (i % 5),
    'server.instance': `instance-${Math.floor(i / 1000)}`,
  };
}

/** 10,000 series: only counters, or a mix of counters, gauges, histograms and exponential histograms. */
async function collect(mixed: boolean): Promise<Scenario> {
  const reader = new PullReader({ cardinalitySelector: () => SERIES * 2 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench', 'service.instance.id': 'bench-1' }),
    readers: [reader],
    views: [{ instrumentName: 'rpc.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('bench', '1.0.0');
  const requests = meter.createCounter('http.server.requests');
  const inFlight = meter.createGauge('http.server.active_requests');
  const duration = meter.createHistogram('http.server.duration', { unit: 'ms' });
  const rpc = meter.createHistogram('rpc.duration', { unit: 's' });
  for (let i = 0; i < SERIES; i++) {
    const attributes = seriesAttributes(i);
    const kind = mixed ? i % 10 : 0;
    if (kind < 6) requests.add(1 + (i % 7), attributes);
    else if (kind < 8) inFlight.record(i % 13, attributes);
    else if (kind < 9) for (let k = 0; k < 5; k++) duration.record((i * 7 + k * 131) % 3000, attributes);
    else for (let k = 0; k < 5; k++) rpc.record(((i % 97) + k) / 1000, attributes);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return { name: mixed ? 'mixed (60% sums, 20% gauges, 10% histograms, 10% exponential)' : 'counters only', data: resourceMetrics, points };
}

/** Operations per second: the median of RUNS runs, each repeating `operation` for RUN_MS or more. */
function measure(operation: () => unknown): number {
  for (let i = 0; i < 5; i++) operation();
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      operation();
      iterations++;
      elapsed = performance.now() - start;
    } while (elapsed < RUN_MS);
    rates.push((iterations * 1000) / elapsed);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(RUNS / 2)]!;
}

function format(pointsPerSecond: number): string {
  return `${(pointsPerSecond / 1e6).toFixed(2)} M points/s`;
}

for (const mixed of [false, true]) {
  const scenario = await collect(mixed);
  const protobuf = ProtobufMetricsSerializer.serializeRequest(scenario.data)!;
  const json = JsonMetricsSerializer.serializeRequest(scenario.data)!;
  const jsonText = new TextDecoder().decode(json);
  const decoded = decodeExportMetricsServiceRequest(protobuf);
  const decodedPoints = decoded.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.points.length))).reduce((a, b) => a + b, 0);
  if (decodedPoints !== scenario.points) throw new Error(`decoded ${decodedPoints} points, expected ${scenario.points}`);

  console.log(`\n${scenario.name}: ${scenario.points} data points, protobuf ${(protobuf.length / 1024).toFixed(0)} KiB, JSON ${(json.length / 1024).toFixed(0)} KiB`);
  const rows: [string, number][] = [
    ['decodeExportMetricsServiceRequest (protobuf)', measure(() => decodeExportMetricsServiceRequest(protobuf))],
    ['otlp-transformer ProtobufMetricsSerializer.serializeRequest', measure(() => ProtobufMetricsSerializer.serializeRequest(scenario.data))],
    ['decodeExportMetricsServiceRequestJson (JSON, from bytes)', measure(() => decodeExportMetricsServiceRequestJson(json))],
    ['  of which JSON.parse alone', measure(() => JSON.parse(jsonText))],
    ['otlp-transformer JsonMetricsSerializer.serializeRequest', measure(() => JsonMetricsSerializer.serializeRequest(scenario.data))],
  ];
  for (const [name, requestsPerSecond] of rows) {
    console.log(`  ${name.padEnd(62)} ${format(requestsPerSecond * scenario.points).padStart(18)}  (${(1000 / requestsPerSecond).toFixed(2)} ms a request)`);
  }
}
