import type { MetricType } from './family.ts';
import type { OtelMetric, Temporality } from '../otelData/otelData.ts';

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
