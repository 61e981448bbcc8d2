import { renderLabelText } from '../translate/labelText.ts';
import type { Family, Series } from './family.ts';
import type { FlaggedHistogram } from './histogramBucketWarnings.ts';

export const HISTOGRAM_BUCKET_WARNINGS_METRIC_NAME = 'otel_prom_bridge_histogram_bucket_warnings';

/**
 * The histograms the bucket linter flagged, as a gauge: 1 per metric (its OpenTelemetry name) and
 * reason, so that `sum(…)` counts them and an alert can name them. Undefined while none is flagged.
 */
export function buildBucketWarningFamily(flagged: readonly FlaggedHistogram[], nowMs: number): Family | undefined {
  if (flagged.length === 0) return undefined;
  const series = new Map<string, Series>();
  for (const { metric, reason } of flagged) {
    const labels = [['metric', metric], ['reason', reason]] as const;
    const labelText = renderLabelText(labels);
    series.set(labelText, { labels, labelText, data: { kind: 'number', value: 1 }, timeMs: nowMs, startTimeMs: undefined });
  }
  return {
    name: HISTOGRAM_BUCKET_WARNINGS_METRIC_NAME,
    type: 'gauge',
    help: 'Histograms whose bucket boundaries cannot describe their data, by metric (its OpenTelemetry name) and reason; default_buckets_in_seconds: unit s with the SDK default boundaries meant for milliseconds (see the log for the fix).',
    unit: '',
    series,
  };
}
