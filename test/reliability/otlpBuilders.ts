/**
 * OTLP requests whose exact content the test knows, for the reliability and load tests: monotonic
 * sums and explicit-bucket histograms, delta or cumulative, one resource per request, in protobuf
 * and JSON (the same data either way), plus the raw transports (HTTP via fetch, gRPC via grpc-js)
 * and the answers' meaning (full success, partial success, refusal to retry).
 */
import * as grpc from '@grpc/grpc-js';
import { METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';
import { concat, double, fixed64, message, packedDouble, packedFixed64, string, varint } from '../otlp/protobufWriter.ts';
import { readFields } from '../sidecar/sidecarHarness.ts';

export type Temporality = 'delta' | 'cumulative';
export type Encoding = 'protobuf' | 'json';

export interface CounterPoint {
  readonly kind: 'counter';
  /** Label `series` on the point. */
  readonly series: string;
  readonly value: number;
}

export interface HistogramPointSpec {
  readonly kind: 'histogram';
  readonly series: string;
  /** Per bucket (not cumulative), one more than the bounds. */
  readonly counts: readonly number[];
  readonly sum: number;
}

export type PointSpec = CounterPoint | HistogramPointSpec;

export interface RequestSpec {
  readonly service: string;
  readonly temporality: Temporality;
  /** Nanoseconds since the epoch. */
  readonly startNs: bigint;
  readonly timeNs: bigint;
  /** Counter points go to metric `counterName`, histogram points to `histogramName`. */
  readonly counterName: string;
  readonly histogramName: string;
  readonly bounds: readonly number[];
  readonly points: readonly PointSpec[];
}

const TEMPORALITY = { delta: 1, cumulative: 2 } as const;

function protobufAttribute(key: string, value: string): Uint8Array {
  return message(9, string(1, key), message(2, string(1, value)));
}

/** An `ExportMetricsServiceRequest` in protobuf; the counter's points as doubles, the histogram's with its bounds. */
export function buildProtobufRequest(spec: RequestSpec): Uint8Array {
  const times = concat(fixed64(2, spec.startNs), fixed64(3, spec.timeNs));
  const temporality = TEMPORALITY[spec.temporality];
  const counterPoints: Uint8Array[] = [];
  const histogramPoints: Uint8Array[] = [];
  for (const point of spec.points) {
    // NumberDataPoint: attributes 7; HistogramDataPoint: attributes 9.
    if (point.kind === 'counter') counterPoints.push(message(1, message(7, string(1, 'series'), message(2, string(1, point.series))), times, double(4, point.value)));
    else {
      const count = point.counts.reduce((a, b) => a + b, 0);
      histogramPoints.push(message(1, protobufAttribute('series', point.series), times, fixed64(4, count), double(5, point.sum), packedFixed64(6, point.counts), packedDouble(7, spec.bounds)));
    }
  }
  const metrics: Uint8Array[] = [];
  if (counterPoints.length > 0) metrics.push(message(2, string(1, spec.counterName), message(7, ...counterPoints, varint(2, temporality), varint(3, 1))));
  if (histogramPoints.length > 0) metrics.push(message(2, string(1, spec.histogramName), string(3, 'ms'), message(9, ...histogramPoints, varint(2, temporality))));
  const resource = message(1, message(1, string(1, 'service.name'), message(2, string(1, spec.service))));
  return message(1, resource, message(2, message(1, string(1, 'reliability'), string(2, '1.0.0')), ...metrics));
}

/** The same request in OTLP/JSON. */
export function buildJsonRequest(spec: RequestSpec): string {
  const start = String(spec.startNs);
  const time = String(spec.timeNs);
  const attributes = (series: string) => [{ key: 'series', value: { stringValue: series } }];
  const temporality = TEMPORALITY[spec.temporality];
  const counterPoints = [];
  const histogramPoints = [];
  for (const point of spec.points) {
    if (point.kind === 'counter') counterPoints.push({ attributes: attributes(point.series), startTimeUnixNano: start, timeUnixNano: time, asDouble: point.value });
    else {
      const count = point.counts.reduce((a, b) => a + b, 0);
      histogramPoints.push({ attributes: attributes(point.series), startTimeUnixNano: start, timeUnixNano: time, count: String(count), sum: point.sum, bucketCounts: point.counts.map(String), explicitBounds: spec.bounds });
    }
  }
  const metrics = [];
  if (counterPoints.length > 0) metrics.push({ name: spec.counterName, sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: counterPoints } });
  if (histogramPoints.length > 0) metrics.push({ name: spec.histogramName, unit: 'ms', histogram: { aggregationTemporality: temporality, dataPoints: histogramPoints } });
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: spec.service } }] }, scopeMetrics: [{ scope: { name: 'reliability', version: '1.0.0' }, metrics }] }],
  });
}

/** What became of one export: stored whole, stored in part, refused for the client to retry (503/UNAVAILABLE), or refused for good. */
export type ExportAnswer =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'partial'; readonly rejected: number; readonly message: string }
  | { readonly kind: 'retry'; readonly detail: string }
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string };

/** `partial_success` of a protobuf `ExportMetricsServiceResponse` (field 1: rejected_data_points 1, error_message 2). */
function protobufPartial(bytes: Uint8Array): ExportAnswer {
  for (const field of readFields(bytes)) {
    if (field.number !== 1 || !(field.value instanceof Uint8Array)) continue;
    let rejected = 0;
    let text = '';
    for (const inner of readFields(field.value)) {
      if (inner.number === 1 && typeof inner.value === 'number') rejected = inner.value;
      if (inner.number === 2 && inner.value instanceof Uint8Array) text = Buffer.from(inner.value).toString('utf8');
    }
    if (rejected > 0 || text !== '') return { kind: 'partial', rejected, message: text };
  }
  return { kind: 'accepted' };
}

/** POSTs one export to the OTLP/HTTP receiver and says what became of it. */
export async function postExport(url: string, encoding: Encoding, body: Uint8Array | string, timeoutMs = 30_000): Promise<ExportAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return readExportAnswer(response.status, encoding, new Uint8Array(await response.arrayBuffer()));
}

/** What an OTLP/HTTP answer (`status`, body `bytes` in `encoding`) says became of the export. */
export function readExportAnswer(status: number, encoding: Encoding, bytes: Uint8Array): ExportAnswer {
  if (status === 503) return { kind: 'retry', detail: `503 ${Buffer.from(bytes).toString('utf8')}` };
  if (status !== 200) return { kind: 'refused', status, detail: Buffer.from(bytes).toString('utf8') };
  if (encoding === 'protobuf') return protobufPartial(bytes);
  const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as { partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string } };
  const partial = json.partialSuccess;
  if (partial === undefined) return { kind: 'accepted' };
  return { kind: 'partial', rejected: Number(partial.rejectedDataPoints ?? 0), message: partial.errorMessage ?? '' };
}

const identity = (bytes: Buffer): Buffer => bytes;

/** One OTLP/gRPC Export of raw protobuf bytes on `client`, and what became of it. */
export function grpcExport(client: grpc.Client, body: Uint8Array, timeoutMs = 30_000): Promise<ExportAnswer> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error === null) resolve(protobufPartial(response ?? Buffer.alloc(0)));
      else if (error.code === grpc.status.UNAVAILABLE) resolve({ kind: 'retry', detail: `UNAVAILABLE ${error.details}` });
      else resolve({ kind: 'refused', status: error.code, detail: error.details });
    });
  });
}

export function grpcClient(port: number): grpc.Client {
  return new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}
