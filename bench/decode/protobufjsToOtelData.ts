import protobuf from 'protobufjs';
import type {
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  OtelMetric,
  ResourceMetrics,
  ScopeMetrics,
  SummaryPoint,
} from '../../src/otelData/otelData.ts';
import { checkHistogramBuckets, type DataKind, type DataPoints, hasNoRecordedValue, metricFromData, NO_BUCKETS, scopeOf } from '../../src/otlp/decode/metricRules.ts';
import { setAttribute } from '../../src/otlp/decode/setAttribute.ts';
import { type AttributeRecord, hexId, IGNORE_DROPS, int64Value, nanosToMs } from './otelDataHelpers.ts';

/**
 * protobufjs on the OTLP .proto files under proto/, loaded at run time (`Root.loadSync`: it
 * generates a decoder function per message type, as its static code would), and its decoded
 * messages converted into the bridge's data model with the same rules and output as ours.
 */

/** 64-bit integers as protobufjs gives them (a `long` Long when that package is there, as it is). */
interface Long {
  readonly low: number;
  readonly high: number;
}

/** The decoded messages' fields that the conversion reads; a oneof's getter names the member set. */
interface PjsKeyValue {
  readonly key: string;
  readonly value: PjsAnyValue | null;
}
interface PjsAnyValue {
  readonly value?: 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue' | 'stringValueStrindex';
  readonly stringValue: string;
  readonly boolValue: boolean;
  readonly intValue: Long;
  readonly doubleValue: number;
  readonly arrayValue: { readonly values: readonly PjsAnyValue[] };
  readonly kvlistValue: { readonly values: readonly PjsKeyValue[] };
  readonly bytesValue: Uint8Array;
}
interface PjsExemplar {
  readonly value?: 'asDouble' | 'asInt';
  readonly asDouble: number;
  readonly asInt: Long;
  readonly timeUnixNano: Long;
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly filteredAttributes: readonly PjsKeyValue[];
}
interface PjsPointBase {
  readonly attributes: readonly PjsKeyValue[];
  readonly startTimeUnixNano: Long;
  readonly timeUnixNano: Long;
  readonly flags: number;
}
interface PjsNumberPoint extends PjsPointBase {
  readonly value?: 'asDouble' | 'asInt';
  readonly asDouble: number;
  readonly asInt: Long;
  readonly exemplars: readonly PjsExemplar[];
}
interface PjsHistogramPoint extends PjsPointBase {
  readonly count: Long;
  readonly sum: number | null;
  readonly bucketCounts: readonly Long[];
  readonly explicitBounds: number[];
  readonly exemplars: readonly PjsExemplar[];
}
interface PjsBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly Long[];
}
interface PjsExponentialPoint extends PjsPointBase {
  readonly count: Long;
  readonly sum: number | null;
  readonly scale: number;
  readonly zeroCount: Long;
  readonly zeroThreshold: number;
  readonly positive: PjsBuckets | null;
  readonly negative: PjsBuckets | null;
  readonly exemplars: readonly PjsExemplar[];
}
interface PjsSummaryPoint extends PjsPointBase {
  readonly count: Long;
  readonly sum: number;
  readonly quantileValues: readonly { readonly quantile: number; readonly value: number }[];
}
interface PjsData<Point> {
  readonly dataPoints: readonly Point[];
  readonly aggregationTemporality: number;
  readonly isMonotonic: boolean;
}
interface PjsMetric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly data?: DataKind;
  readonly gauge: PjsData<PjsNumberPoint>;
  readonly sum: PjsData<PjsNumberPoint>;
  readonly histogram: PjsData<PjsHistogramPoint>;
  readonly exponentialHistogram: PjsData<PjsExponentialPoint>;
  readonly summary: PjsData<PjsSummaryPoint>;
}
export interface PjsRequest {
  readonly resourceMetrics: readonly {
    readonly resource: { readonly attributes: readonly PjsKeyValue[] } | null;
    readonly schemaUrl: string;
    readonly scopeMetrics: readonly {
      readonly scope: { readonly name: string; readonly version: string; readonly attributes: readonly PjsKeyValue[] } | null;
      readonly schemaUrl: string;
      readonly metrics: readonly PjsMetric[];
    }[];
  }[];
}

/** The `ExportMetricsServiceRequest` type, loaded from bench/decode/proto/. */
export function loadProtobufjsRequestType(): protobuf.Type {
  const root = new protobuf.Root();
  const protoDir = new URL('./proto/', import.meta.url).pathname;
  root.resolvePath = (_origin, target) => protoDir + target;
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  return root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
}

export function protobufjsToOtelData(message: protobuf.Message): ResourceMetrics[] {
  const request = message as unknown as PjsRequest;
  return request.resourceMetrics.map((resourceMetrics) => {
    const scopeMetrics: ScopeMetrics[] = resourceMetrics.scopeMetrics.map((scopeMetric) => {
      const scope = scopeMetric.scope;
      const metrics: OtelMetric[] = [];
      for (const metric of scopeMetric.metrics) {
        const converted = convertMetric(metric);
        if (converted !== undefined) metrics.push(converted);
      }
      const attributes = scope === null || scope.attributes.length === 0 ? undefined : toAttributes(scope.attributes);
      return { scope: scopeOf(scope?.name ?? '', scope?.version ?? '', scopeMetric.schemaUrl, attributes), metrics };
    });
    const schemaUrl = resourceMetrics.schemaUrl;
    return { resource: { attributes: toAttributes(resourceMetrics.resource?.attributes ?? []), schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
  });
}

function convertMetric(metric: PjsMetric): OtelMetric | undefined {
  const kind = metric.data;
  let points: DataPoints = [];
  let temporality = 0;
  let monotonic = false;
  switch (kind) {
    case 'gauge':
      points = metric.gauge.dataPoints.map(toNumberPoint);
      break;
    case 'sum':
      points = metric.sum.dataPoints.map(toNumberPoint);
      temporality = metric.sum.aggregationTemporality;
      monotonic = metric.sum.isMonotonic;
      break;
    case 'histogram': {
      const histogramPoints: HistogramPoint[] = [];
      for (const point of metric.histogram.dataPoints) {
        const converted = toHistogramPoint(point);
        if (converted !== undefined) histogramPoints.push(converted);
      }
      points = histogramPoints;
      temporality = metric.histogram.aggregationTemporality;
      break;
    }
    case 'exponentialHistogram':
      points = metric.exponentialHistogram.dataPoints.map(toExponentialPoint);
      temporality = metric.exponentialHistogram.aggregationTemporality;
      break;
    case 'summary':
      points = metric.summary.dataPoints.map(toSummaryPoint);
      break;
  }
  return metricFromData(IGNORE_DROPS, metric.name, metric.description, metric.unit, kind, temporality, monotonic, points);
}

function unsigned(value: Long): number {
  return (value.high >>> 0) * 4294967296 + (value.low >>> 0);
}

function signed(value: Long): number {
  return (value.high | 0) * 4294967296 + (value.low >>> 0);
}

function timeMs(nanos: Long): number | undefined {
  return nanosToMs(nanos.low >>> 0, nanos.high >>> 0);
}

function toNumberPoint(point: PjsNumberPoint): NumberPoint {
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    value: point.value === 'asDouble' ? point.asDouble : point.value === 'asInt' ? signed(point.asInt) : 0,
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toHistogramPoint(point: PjsHistogramPoint): HistogramPoint | undefined {
  const count = unsigned(point.count);
  const counts = point.bucketCounts.map(unsigned);
  const bounds = point.explicitBounds;
  if (!checkHistogramBuckets(IGNORE_DROPS, count, counts, bounds)) return undefined;
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count,
    sum: point.sum ?? undefined,
    bounds,
    counts,
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toBuckets(buckets: PjsBuckets | null): ExponentialBuckets {
  return buckets === null ? NO_BUCKETS : { offset: buckets.offset, counts: buckets.bucketCounts.map(unsigned) };
}

function toExponentialPoint(point: PjsExponentialPoint): ExponentialHistogramPoint {
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count: unsigned(point.count),
    sum: point.sum ?? undefined,
    scale: point.scale,
    zeroCount: unsigned(point.zeroCount),
    zeroThreshold: point.zeroThreshold,
    positive: toBuckets(point.positive),
    negative: toBuckets(point.negative),
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toSummaryPoint(point: PjsSummaryPoint): SummaryPoint {
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count: unsigned(point.count),
    sum: point.sum,
    quantiles: point.quantileValues.map((q) => ({ quantile: q.quantile, value: q.value })),
    exemplars: undefined,
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toExemplars(exemplars: readonly PjsExemplar[]): Exemplar[] | undefined {
  if (exemplars.length === 0) return undefined;
  return exemplars.map((exemplar) => ({
    value: exemplar.value === 'asDouble' ? exemplar.asDouble : exemplar.value === 'asInt' ? signed(exemplar.asInt) : 0,
    timeMs: timeMs(exemplar.timeUnixNano),
    traceId: hexId(exemplar.traceId, 16),
    spanId: hexId(exemplar.spanId, 8),
    attributes: exemplar.filteredAttributes.length === 0 ? undefined : toAttributes(exemplar.filteredAttributes),
  }));
}

function toAttributes(keyValues: readonly PjsKeyValue[]): AttributeRecord {
  const attributes: AttributeRecord = {};
  for (const keyValue of keyValues) setAttribute(attributes, keyValue.key, keyValue.value === null ? null : toValue(keyValue.value));
  return attributes;
}

function toValue(value: PjsAnyValue): unknown {
  switch (value.value) {
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'doubleValue':
      return value.doubleValue;
    case 'intValue':
      return int64Value(value.intValue.low >>> 0, value.intValue.high | 0);
    case 'arrayValue':
      return value.arrayValue.values.map(toValue);
    case 'kvlistValue':
      return toAttributes(value.kvlistValue.values);
    case 'bytesValue':
      // A copy, as ours: the library's bytes may share the request's memory.
      return new Uint8Array(value.bytesValue);
    default:
      return null;
  }
}
