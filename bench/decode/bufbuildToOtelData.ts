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
import { checkHistogramBuckets, type DataPoints, hasNoRecordedValue, metricFromData, NO_BUCKETS, scopeOf } from '../../src/otlp/decode/metricRules.ts';
import { setAttribute } from '../../src/otlp/decode/setAttribute.ts';
import type { ExportMetricsServiceRequest } from './gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import type { AnyValue, KeyValue } from './gen/opentelemetry/proto/common/v1/common_pb.js';
import type {
  Exemplar as PbExemplar,
  ExponentialHistogramDataPoint,
  ExponentialHistogramDataPoint_Buckets,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from './gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import { type AttributeRecord, hexId, IGNORE_DROPS, int64Value, nanosToMs } from './otelDataHelpers.ts';

/**
 * @bufbuild/protobuf's decoded `ExportMetricsServiceRequest` into the bridge's data model: the work
 * our decoder does besides reading the bytes, with the same rules and the same output (64-bit
 * fields come as bigint from this library, and are converted here).
 */
export function bufbuildToOtelData(request: ExportMetricsServiceRequest): ResourceMetrics[] {
  return request.resourceMetrics.map((resourceMetrics) => {
    const scopeMetrics: ScopeMetrics[] = resourceMetrics.scopeMetrics.map((scopeMetric) => {
      const scope = scopeMetric.scope;
      const metrics: OtelMetric[] = [];
      for (const metric of scopeMetric.metrics) {
        const converted = convertMetric(metric);
        if (converted !== undefined) metrics.push(converted);
      }
      const attributes = scope === undefined || scope.attributes.length === 0 ? undefined : toAttributes(scope.attributes);
      return { scope: scopeOf(scope?.name ?? '', scope?.version ?? '', scopeMetric.schemaUrl, attributes), metrics };
    });
    const schemaUrl = resourceMetrics.schemaUrl;
    return { resource: { attributes: toAttributes(resourceMetrics.resource?.attributes ?? []), schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
  });
}

function convertMetric(metric: Metric): OtelMetric | undefined {
  const data = metric.data;
  let points: DataPoints = [];
  let temporality = 0;
  let monotonic = false;
  switch (data.case) {
    case 'gauge':
      points = data.value.dataPoints.map(toNumberPoint);
      break;
    case 'sum':
      points = data.value.dataPoints.map(toNumberPoint);
      temporality = data.value.aggregationTemporality;
      monotonic = data.value.isMonotonic;
      break;
    case 'histogram': {
      const histogramPoints: HistogramPoint[] = [];
      for (const point of data.value.dataPoints) {
        const converted = toHistogramPoint(point);
        if (converted !== undefined) histogramPoints.push(converted);
      }
      points = histogramPoints;
      temporality = data.value.aggregationTemporality;
      break;
    }
    case 'exponentialHistogram':
      points = data.value.dataPoints.map(toExponentialPoint);
      temporality = data.value.aggregationTemporality;
      break;
    case 'summary':
      points = data.value.dataPoints.map(toSummaryPoint);
      break;
  }
  return metricFromData(IGNORE_DROPS, metric.name, metric.description, metric.unit, data.case, temporality, monotonic, points);
}

function timeMs(nanos: bigint): number | undefined {
  return nanosToMs(Number(nanos & 0xffffffffn), Number(nanos >> 32n));
}

function toNumberPoint(point: NumberDataPoint): NumberPoint {
  const value = point.value.case === 'asDouble' ? point.value.value : point.value.case === 'asInt' ? Number(point.value.value) : 0;
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    value,
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toHistogramPoint(point: HistogramDataPoint): HistogramPoint | undefined {
  const count = Number(point.count);
  const counts = point.bucketCounts.map(Number);
  const bounds = point.explicitBounds;
  if (!checkHistogramBuckets(IGNORE_DROPS, count, counts, bounds)) return undefined;
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count,
    sum: point.sum,
    bounds,
    counts,
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toBuckets(buckets: ExponentialHistogramDataPoint_Buckets | undefined): ExponentialBuckets {
  return buckets === undefined ? NO_BUCKETS : { offset: buckets.offset, counts: buckets.bucketCounts.map(Number) };
}

function toExponentialPoint(point: ExponentialHistogramDataPoint): ExponentialHistogramPoint {
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count: Number(point.count),
    sum: point.sum,
    scale: point.scale,
    zeroCount: Number(point.zeroCount),
    zeroThreshold: point.zeroThreshold,
    positive: toBuckets(point.positive),
    negative: toBuckets(point.negative),
    exemplars: toExemplars(point.exemplars),
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toSummaryPoint(point: SummaryDataPoint): SummaryPoint {
  return {
    attributes: toAttributes(point.attributes),
    startTimeMs: timeMs(point.startTimeUnixNano),
    timeMs: timeMs(point.timeUnixNano) ?? 0,
    count: Number(point.count),
    sum: point.sum,
    quantiles: point.quantileValues.map((q) => ({ quantile: q.quantile, value: q.value })),
    exemplars: undefined,
    noRecordedValue: hasNoRecordedValue(point.flags),
  };
}

function toExemplars(exemplars: readonly PbExemplar[]): Exemplar[] | undefined {
  if (exemplars.length === 0) return undefined;
  return exemplars.map((exemplar) => ({
    value: exemplar.value.case === 'asDouble' ? exemplar.value.value : exemplar.value.case === 'asInt' ? Number(exemplar.value.value) : 0,
    timeMs: timeMs(exemplar.timeUnixNano),
    traceId: hexId(exemplar.traceId, 16),
    spanId: hexId(exemplar.spanId, 8),
    attributes: exemplar.filteredAttributes.length === 0 ? undefined : toAttributes(exemplar.filteredAttributes),
  }));
}

function toAttributes(keyValues: readonly KeyValue[]): AttributeRecord {
  const attributes: AttributeRecord = {};
  for (const keyValue of keyValues) setAttribute(attributes, keyValue.key, keyValue.value === undefined ? null : toValue(keyValue.value));
  return attributes;
}

function toValue(value: AnyValue): unknown {
  const v = value.value;
  switch (v.case) {
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
      return v.value;
    case 'intValue':
      return int64Value(Number(v.value & 0xffffffffn), Number(BigInt.asIntN(32, v.value >> 32n)));
    case 'arrayValue':
      return v.value.values.map(toValue);
    case 'kvlistValue':
      return toAttributes(v.value.values);
    case 'bytesValue':
      // A copy, as ours: the library's bytes may share the request's memory.
      return new Uint8Array(v.value);
    default:
      return null;
  }
}
