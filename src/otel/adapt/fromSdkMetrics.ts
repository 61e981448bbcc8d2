import type { HrTime } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type MetricData,
  type ResourceMetrics as SdkResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { NumberPoint, OtelMetric, ResourceMetrics, Temporality } from '../../otelData/otelData.ts';

function toMs(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

function temporalityOf(metric: MetricData): Temporality {
  return metric.aggregationTemporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative';
}

/** The SDK's collected metrics in the bridge's own data model (a shallow, per-point mapping). */
export function fromSdkMetrics(collected: SdkResourceMetrics): ResourceMetrics {
  return {
    resource: { attributes: collected.resource.attributes, schemaUrl: collected.resource.schemaUrl },
    scopeMetrics: collected.scopeMetrics.map(({ scope, metrics }) => ({
      scope: { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl },
      metrics: metrics.map(fromSdkMetric),
    })),
  };
}

/** A sum's or gauge's point: attributes, time range and value, in one object (no spread: tens of thousands a collection). */
function fromNumberPoint(point: DataPoint<number>): NumberPoint {
  return { attributes: point.attributes, startTimeMs: toMs(point.startTime), timeMs: toMs(point.endTime), value: point.value };
}

function fromSdkMetric(metric: MetricData): OtelMetric {
  const { name, description, unit } = metric.descriptor;
  const base = { name, description, unit };
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return {
        ...base,
        kind: 'sum' as const,
        monotonic: metric.isMonotonic,
        temporality: temporalityOf(metric),
        points: metric.dataPoints.map(fromNumberPoint),
      };
    case DataPointType.GAUGE:
      return {
        ...base,
        kind: 'gauge' as const,
        points: metric.dataPoints.map(fromNumberPoint),
      };
    case DataPointType.HISTOGRAM:
      return {
        ...base,
        kind: 'histogram' as const,
        temporality: temporalityOf(metric),
        points: metric.dataPoints.map((p) => ({
          attributes: p.attributes,
          startTimeMs: toMs(p.startTime),
          timeMs: toMs(p.endTime),
          count: p.value.count,
          sum: p.value.sum,
          bounds: p.value.buckets.boundaries,
          counts: p.value.buckets.counts,
        })),
      };
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return {
        ...base,
        kind: 'exponentialHistogram' as const,
        temporality: temporalityOf(metric),
        points: metric.dataPoints.map((p) => ({
          attributes: p.attributes,
          startTimeMs: toMs(p.startTime),
          timeMs: toMs(p.endTime),
          count: p.value.count,
          sum: p.value.sum,
          scale: p.value.scale,
          zeroCount: p.value.zeroCount,
          zeroThreshold: 0,
          positive: { offset: p.value.positive.offset, counts: p.value.positive.bucketCounts },
          negative: { offset: p.value.negative.offset, counts: p.value.negative.bucketCounts },
        })),
      };
  }
}
