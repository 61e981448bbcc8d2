/**
 * Hand-built OTLP export requests whose every field the test chooses (resource, scope or none,
 * start and end times per point, a histogram count that need not match its buckets), encoded in
 * protobuf or JSON, and sent to a sidecar over OTLP/HTTP (protobuf, JSON) or OTLP/gRPC.
 */
import type * as grpc from '@grpc/grpc-js';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import { concat, double, fixed64, message, packedDouble, packedFixed64, string, varint } from '../otlp/protobufWriter.ts';
import { grpcClient, grpcExport, postExport, type ExportAnswer } from '../reliability/otlpBuilders.ts';
import { TIMEOUT_MS } from './sidecarHarness.ts';

export type Temporality = 'delta' | 'cumulative';
type Attributes = Readonly<Record<string, string>>;

export interface NumberPointSpec {
  readonly attributes?: Attributes;
  /** Nanoseconds since the epoch; left out (0) when undefined. */
  readonly startNs?: bigint;
  readonly timeNs: bigint;
  readonly value: number;
}

export interface HistogramPointSpec {
  readonly attributes?: Attributes;
  readonly startNs?: bigint;
  readonly timeNs: bigint;
  readonly bounds: readonly number[];
  /** Per bucket (not cumulative), one more than the bounds. */
  readonly counts: readonly number[];
  /** Default: the sum of `counts`; set it to send a count that does not match them. */
  readonly count?: number;
  readonly sum: number;
}

export type MetricSpec =
  | { readonly kind: 'sum'; readonly name: string; readonly unit?: string; readonly temporality: Temporality; readonly monotonic: boolean; readonly points: readonly NumberPointSpec[] }
  | { readonly kind: 'gauge'; readonly name: string; readonly unit?: string; readonly points: readonly NumberPointSpec[] }
  | { readonly kind: 'histogram'; readonly name: string; readonly unit?: string; readonly temporality: Temporality; readonly points: readonly HistogramPointSpec[] };

export interface ExportSpec {
  readonly resource: Attributes;
  /** The instrumentation scope; undefined: none (no `otel_scope_*` labels). */
  readonly scope?: { readonly name: string; readonly version?: string };
  readonly metrics: readonly MetricSpec[];
}

const TEMPORALITY = { delta: 1, cumulative: 2 } as const;

/** `ExportMetricsServiceRequest` in protobuf; field numbers from opentelemetry-proto `metrics/v1/metrics.proto`. */
export function encodeProtobuf(spec: ExportSpec): Uint8Array {
  const keyValues = (field: number, attributes: Attributes = {}) => Object.entries(attributes).map(([key, value]) => message(field, string(1, key), message(2, string(1, value))));
  const times = (point: { startNs?: bigint; timeNs: bigint }) => concat(...(point.startNs === undefined ? [] : [fixed64(2, point.startNs)]), fixed64(3, point.timeNs));
  // NumberDataPoint: attributes 7, as_double 4.
  const numberPoint = (point: NumberPointSpec) => message(1, ...keyValues(7, point.attributes), times(point), double(4, point.value));
  const metrics = spec.metrics.map((metric) => {
    const head = concat(string(1, metric.name), ...(metric.unit === undefined ? [] : [string(3, metric.unit)]));
    switch (metric.kind) {
      case 'gauge':
        return message(2, head, message(5, ...metric.points.map(numberPoint)));
      case 'sum':
        return message(2, head, message(7, ...metric.points.map(numberPoint), varint(2, TEMPORALITY[metric.temporality]), varint(3, metric.monotonic ? 1 : 0)));
      case 'histogram': {
        // HistogramDataPoint: attributes 9, count 4, sum 5, bucket_counts 6, explicit_bounds 7.
        const points = metric.points.map((point) =>
          message(1, ...keyValues(9, point.attributes), times(point), fixed64(4, countOf(point)), double(5, point.sum), packedFixed64(6, point.counts), packedDouble(7, point.bounds)),
        );
        return message(2, head, message(9, ...points, varint(2, TEMPORALITY[metric.temporality])));
      }
    }
  });
  const scope = spec.scope === undefined ? [] : [message(1, string(1, spec.scope.name), ...(spec.scope.version === undefined ? [] : [string(2, spec.scope.version)]))];
  return message(1, message(1, ...keyValues(1, spec.resource)), message(2, ...scope, ...metrics));
}

/** The same request in OTLP/JSON (64-bit integers as strings). */
export function encodeJson(spec: ExportSpec): string {
  const keyValues = (attributes: Attributes = {}) => Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } }));
  const times = (point: { startNs?: bigint; timeNs: bigint }) => ({
    ...(point.startNs === undefined ? {} : { startTimeUnixNano: String(point.startNs) }),
    timeUnixNano: String(point.timeNs),
  });
  const numberPoint = (point: NumberPointSpec) => ({ attributes: keyValues(point.attributes), ...times(point), asDouble: point.value });
  const metrics = spec.metrics.map((metric) => {
    const head = { name: metric.name, ...(metric.unit === undefined ? {} : { unit: metric.unit }) };
    switch (metric.kind) {
      case 'gauge':
        return { ...head, gauge: { dataPoints: metric.points.map(numberPoint) } };
      case 'sum':
        return { ...head, sum: { aggregationTemporality: TEMPORALITY[metric.temporality], isMonotonic: metric.monotonic, dataPoints: metric.points.map(numberPoint) } };
      case 'histogram':
        return {
          ...head,
          histogram: {
            aggregationTemporality: TEMPORALITY[metric.temporality],
            dataPoints: metric.points.map((point) => ({
              attributes: keyValues(point.attributes),
              ...times(point),
              count: String(countOf(point)),
              sum: point.sum,
              bucketCounts: point.counts.map(String),
              explicitBounds: point.bounds,
            })),
          },
        };
    }
  });
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: keyValues(spec.resource) }, scopeMetrics: [{ ...(spec.scope === undefined ? {} : { scope: spec.scope }), metrics }] }],
  });
}

function countOf(point: HistogramPointSpec): number {
  return point.count ?? point.counts.reduce((a, b) => a + b, 0);
}

/** The three ways in: the OTLP/HTTP receiver with each encoding, and OTLP/gRPC. */
export const TRANSPORTS = ['HTTP protobuf', 'HTTP JSON', 'gRPC'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Sends exports to one sidecar over any transport; `close()` the gRPC channel at the end. */
export class ExportSender {
  readonly #addresses: SidecarAddresses;
  #client: grpc.Client | undefined;

  constructor(addresses: SidecarAddresses) {
    this.#addresses = addresses;
  }

  /** The request's body for `transport`: the same bytes every time for the same spec. */
  encode(transport: Transport, spec: ExportSpec): Uint8Array | string {
    return transport === 'HTTP JSON' ? encodeJson(spec) : encodeProtobuf(spec);
  }

  /** Encodes and sends one export; resolves with what the sidecar answered. */
  send(transport: Transport, spec: ExportSpec): Promise<ExportAnswer> {
    return this.sendBody(transport, this.encode(transport, spec));
  }

  /** Sends a body `encode()` made (the very same bytes again, as a retry does). */
  sendBody(transport: Transport, body: Uint8Array | string): Promise<ExportAnswer> {
    switch (transport) {
      case 'HTTP protobuf':
        return postExport(this.#addresses.otlpHttp.url, 'protobuf', body, TIMEOUT_MS);
      case 'HTTP JSON':
        return postExport(this.#addresses.otlpHttp.url, 'json', body, TIMEOUT_MS);
      case 'gRPC':
        this.#client ??= grpcClient(this.#addresses.otlpGrpc.port);
        return grpcExport(this.#client, typeof body === 'string' ? Buffer.from(body) : body, TIMEOUT_MS);
    }
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}
