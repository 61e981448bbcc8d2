import { renderLabelText } from '../exposition/escape.ts';
import type { Family, Series } from '../model/family.ts';
import type { ReceiverStats } from '../otlp/receiver/receiverStats.ts';

export const OTLP_REQUESTS_METRIC_NAME = 'otel_prom_bridge_otlp_requests_total';
export const OTLP_DATA_POINTS_METRIC_NAME = 'otel_prom_bridge_otlp_data_points_total';
export const SERIES_METRIC_NAME = 'otel_prom_bridge_series';
export const SERIES_LIMIT_METRIC_NAME = 'otel_prom_bridge_series_limit';

/** What the sidecar reports about itself besides the translation drops. */
export interface SidecarCounts {
  readonly stats: ReceiverStats;
  readonly seriesCount: number;
  readonly maxSeries: number;
}

/**
 * The sidecar's own metrics: OTLP requests by protocol and outcome, data points accepted and
 * refused, and the series held against the limit.
 */
export function buildSidecarFamilies(counts: SidecarCounts, nowMs: number): Family[] {
  const requests = counts.stats.requests().map(([protocol, outcome, value]) => sample([['protocol', protocol], ['outcome', outcome]], value, nowMs));
  const points = counts.stats.dataPoints().map(([protocol, outcome, value]) => sample([['protocol', protocol], ['outcome', outcome]], value, nowMs));
  const families = [
    family(OTLP_REQUESTS_METRIC_NAME, 'counter', 'OTLP export requests received, by protocol and outcome.', requests),
    family(OTLP_DATA_POINTS_METRIC_NAME, 'counter', 'OTLP data points received, by protocol and whether they were accepted or refused.', points),
    family(SERIES_METRIC_NAME, 'gauge', 'Metric series the sidecar holds now (target_info not counted).', [sample([], counts.seriesCount, nowMs)]),
    family(SERIES_LIMIT_METRIC_NAME, 'gauge', 'The most metric series the sidecar holds; points that would create more are refused.', [sample([], counts.maxSeries, nowMs)]),
  ];
  return families.filter((f) => f.series.size > 0);
}

function sample(labels: readonly (readonly [string, string])[], value: number, nowMs: number): Series {
  return { labels, labelText: renderLabelText(labels), data: { kind: 'number', value }, timeMs: nowMs, startTimeMs: undefined, generation: 0 };
}

function family(name: string, type: 'counter' | 'gauge', help: string, series: Series[]): Family {
  return { name, type, help, unit: '', series: new Map(series.map((s) => [s.labelText, s])) };
}
