/**
 * Hand-built OTLP export requests whose every field the test chooses (resource, scope or none,
 * start and end times per point, a histogram count that need not match its buckets), encoded in
 * protobuf or JSON (the same data either way). Two shorthands build the common specs: one-point
 * cumulative counters (`protobufRequest`, `jsonRequest`), and a resource's counter and histogram
 * series at one time (`buildProtobufRequest`, `buildJsonRequest`).
 */
import { concat, double, fixed64, message, packedDouble, packedFixed64, string, varint } from './protobufWriter.ts';

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

/** The same request in OTLP/JSON: 64-bit integers as strings, NaN and infinities as strings. */
export function encodeJson(spec: ExportSpec): string {
  const keyValues = (attributes: Attributes = {}) => Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } }));
  const times = (point: { startNs?: bigint; timeNs: bigint }) => ({
    ...(point.startNs === undefined ? {} : { startTimeUnixNano: String(point.startNs) }),
    timeUnixNano: String(point.timeNs),
  });
  // JSON.stringify would write NaN and infinities as null; the OTLP/JSON mapping spells them out.
  const numberPoint = (point: NumberPointSpec) => ({ attributes: keyValues(point.attributes), ...times(point), asDouble: Number.isFinite(point.value) ? point.value : String(point.value) });
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

/** One metric of a one-point counter request. */
export interface NamedValue {
  readonly name: string;
  readonly value: number;
}

const NOW_NS = 1_700_000_000_000_000_000n;
const START_NS = NOW_NS - 60_000_000_000n;

/** One monotonic cumulative sum per `points` entry, one point each, from `service` in scope `receiver-test`. */
function counterExport(service: string, points: readonly NamedValue[]): ExportSpec {
  return {
    resource: { 'service.name': service },
    scope: { name: 'receiver-test' },
    metrics: points.map(({ name, value }) => ({ kind: 'sum', name, temporality: 'cumulative', monotonic: true, points: [{ startNs: START_NS, timeNs: NOW_NS, value }] })),
  };
}

/** Small requests for the receiver tests: monotonic cumulative sums with one point each, in protobuf. */
export function protobufRequest(service: string, points: readonly NamedValue[]): Uint8Array {
  return encodeProtobuf(counterExport(service, points));
}

/** The same in JSON. */
export function jsonRequest(service: string, points: readonly NamedValue[]): string {
  return encodeJson(counterExport(service, points));
}

export interface SeriesCounterPoint {
  readonly kind: 'counter';
  /** Label `series` on the point. */
  readonly series: string;
  readonly value: number;
}

export interface SeriesHistogramPoint {
  readonly kind: 'histogram';
  readonly series: string;
  /** Per bucket (not cumulative), one more than the bounds. */
  readonly counts: readonly number[];
  readonly sum: number;
}

export type PointSpec = SeriesCounterPoint | SeriesHistogramPoint;

/** A request whose exact content the reliability and load tests know: one resource, one time for every point. */
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

/** A monotonic sum of the counter points (as doubles) and a histogram in `ms` of the others, in scope `reliability` 1.0.0. */
function seriesExport(spec: RequestSpec): ExportSpec {
  const { startNs, timeNs, temporality } = spec;
  const counterPoints: NumberPointSpec[] = [];
  const histogramPoints: HistogramPointSpec[] = [];
  for (const point of spec.points) {
    const attributes = { series: point.series };
    if (point.kind === 'counter') counterPoints.push({ attributes, startNs, timeNs, value: point.value });
    else histogramPoints.push({ attributes, startNs, timeNs, bounds: spec.bounds, counts: point.counts, sum: point.sum });
  }
  const metrics: MetricSpec[] = [];
  if (counterPoints.length > 0) metrics.push({ kind: 'sum', name: spec.counterName, temporality, monotonic: true, points: counterPoints });
  if (histogramPoints.length > 0) metrics.push({ kind: 'histogram', name: spec.histogramName, unit: 'ms', temporality, points: histogramPoints });
  return { resource: { 'service.name': spec.service }, scope: { name: 'reliability', version: '1.0.0' }, metrics };
}

/** An `ExportMetricsServiceRequest` of `spec` in protobuf. */
export function buildProtobufRequest(spec: RequestSpec): Uint8Array {
  return encodeProtobuf(seriesExport(spec));
}

/** The same request in OTLP/JSON. */
export function buildJsonRequest(spec: RequestSpec): string {
  return encodeJson(seriesExport(spec));
}
