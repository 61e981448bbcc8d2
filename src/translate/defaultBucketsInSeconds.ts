import type { HistogramMetric, HistogramPoint } from '../otelData/otelData.ts';

/**
 * The explicit bucket boundaries the OpenTelemetry SDKs use when an instrument has no advice and
 * no View (the specification's default, meant for milliseconds).
 */
export const SDK_DEFAULT_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/**
 * Boundaries for durations in seconds: those the OpenTelemetry semantic conventions advise for
 * `http.server.request.duration` (and Prometheus' client libraries use much the same).
 */
export const SECONDS_BOUNDARIES: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The share of observations at or below 5 (the first two buckets) from which the quantiles say nothing. */
export const PINNED_SHARE = 0.9;

/**
 * Whether a histogram point shows the SDK's default boundaries (meant for milliseconds) used for
 * seconds: unit `s`, exactly those boundaries, and at least 90 % of its observations at or below 5
 * (the buckets `le="0"` and `le="5"`), so that `histogram_quantile` can only interpolate between 0
 * and 5 s for every quantile up to p90. Precise rather than eager: unit `ms`, any other boundaries
 * (explicit advice, a View) and a histogram in seconds whose observations do spread over the
 * default buckets (a batch job taking minutes) are not flagged; neither is a point without
 * observations (nothing is known yet).
 */
export function hasDefaultBucketsInSeconds(metric: Pick<HistogramMetric, 'unit'>, point: Pick<HistogramPoint, 'bounds' | 'counts' | 'count'>): boolean {
  if (metric.unit !== 's' || point.count <= 0 || !isSdkDefault(point.bounds)) return false;
  const atMostFive = (point.counts[0] ?? 0) + (point.counts[1] ?? 0);
  return atMostFive >= PINNED_SHARE * point.count;
}

function isSdkDefault(bounds: readonly number[]): boolean {
  if (bounds.length !== SDK_DEFAULT_BOUNDARIES.length) return false;
  for (let i = 0; i < bounds.length; i++) if (bounds[i] !== SDK_DEFAULT_BOUNDARIES[i]) return false;
  return true;
}
