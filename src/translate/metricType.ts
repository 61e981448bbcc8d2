import type { OtelMetric, Temporality } from '../otelData/otelData.ts';

/** Prometheus metric types the bridge writes. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** The Prometheus type an OpenTelemetry metric becomes. */
export function metricTypeOf(metric: OtelMetric): MetricType {
  switch (metric.kind) {
    case 'sum':
      return metric.monotonic ? 'counter' : 'gauge';
    case 'gauge':
      return 'gauge';
    case 'histogram':
    case 'exponentialHistogram':
      return 'histogram';
    case 'summary':
      return 'summary';
  }
}

/** How a metric's points relate to each other; gauges and summaries carry the whole value each time. */
export function temporalityOf(metric: OtelMetric): Temporality {
  return metric.kind === 'gauge' || metric.kind === 'summary' ? 'cumulative' : metric.temporality;
}

/** OpenMetrics names a counter family without its `_total`, which only its samples carry. */
export function openMetricsFamilyName(name: string, type: MetricType): string {
  return type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}
