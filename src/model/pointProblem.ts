import type { ExponentialBuckets, ExponentialHistogramPoint, HistogramPoint, NumberPoint, OtelMetric, SummaryPoint } from '../otelData/otelData.ts';

type AnyPoint = OtelMetric['points'][number];

/** Scales OpenTelemetry defines for exponential histograms. */
const MIN_SCALE = -10;
const MAX_SCALE = 20;

/**
 * Most attributes one point may carry. More would make a series of as many labels, costing time and
 * memory out of all proportion (a million attributes took seconds and most of a gigabyte to turn
 * into labels); the OpenTelemetry SDKs keep at most 128 by default.
 */
export const MAX_POINT_ATTRIBUTES = 1000;

/**
 * Why a point cannot be stored as it is (`invalid_point`), in a few words for the sender; undefined
 * when it is fine. Checks only what would make the output wrong, or cost far too much: NaN
 * counters, negative counts, bucket counts that do not match the bounds or do not add up to the
 * count (more would be phantom observations in +Inf), more than `MAX_POINT_ATTRIBUTES` attributes.
 */
export function findPointProblem(metric: OtelMetric, point: AnyPoint): string | undefined {
  if (!Number.isFinite(point.timeMs)) return 'the point has no valid timestamp';
  if (hasMoreKeysThan(point.attributes, MAX_POINT_ATTRIBUTES)) return `the point has more than ${MAX_POINT_ATTRIBUTES} attributes`;
  switch (metric.kind) {
    case 'sum':
      return findSumProblem(metric.monotonic, metric.temporality === 'delta', point as NumberPoint);
    case 'gauge':
      return undefined;
    case 'histogram':
      return findHistogramProblem(point as HistogramPoint);
    case 'exponentialHistogram':
      return findExponentialProblem(point as ExponentialHistogramPoint);
    case 'summary':
      return findSummaryProblem(point as SummaryPoint);
  }
}

function findSumProblem(monotonic: boolean, delta: boolean, point: NumberPoint): string | undefined {
  if (Number.isNaN(point.value) && (monotonic || delta)) return monotonic ? 'a counter value is NaN' : 'a delta value is NaN';
  if (monotonic && delta && point.value < 0) return 'a counter increment (monotonic delta) is negative';
  return undefined;
}

function findHistogramProblem(point: HistogramPoint): string | undefined {
  const { bounds, counts } = point;
  if (!(point.count >= 0)) return 'the histogram count is negative or NaN';
  if (counts.length === 0) return undefined; // OTLP allows a histogram without buckets
  if (counts.length !== bounds.length + 1) return 'the histogram needs one bucket count more than it has bounds';
  for (let i = 1; i < bounds.length; i++) if (!(bounds[i]! > bounds[i - 1]!)) return 'the histogram bounds are not strictly ascending';
  if (bounds.length > 0 && Number.isNaN(bounds[0])) return 'the histogram bounds are not strictly ascending';
  const total = sumCounts(counts);
  if (total === undefined) return 'a histogram bucket count is negative or NaN';
  if (point.count !== total) return `the histogram count (${point.count}) is not the sum of its bucket counts (${total})`;
  return undefined;
}

function findExponentialProblem(point: ExponentialHistogramPoint): string | undefined {
  if (!Number.isInteger(point.scale) || point.scale < MIN_SCALE || point.scale > MAX_SCALE) {
    return `the exponential histogram scale is not a whole number from ${MIN_SCALE} to ${MAX_SCALE}`;
  }
  if (!(point.count >= 0) || !(point.zeroCount >= 0)) return 'the exponential histogram count or zero count is negative or NaN';
  if (!(point.zeroThreshold >= 0)) return 'the exponential histogram zero threshold is negative or NaN';
  if (!validOffset(point.positive) || !validOffset(point.negative)) return 'an exponential histogram bucket offset is not a 32-bit whole number';
  const positive = sumCounts(point.positive.counts);
  const negative = sumCounts(point.negative.counts);
  if (positive === undefined || negative === undefined) return 'an exponential histogram bucket count is negative or NaN';
  const total = point.zeroCount + positive + negative;
  if (point.count !== total) return `the exponential histogram count (${point.count}) is not the sum of its bucket and zero counts (${total})`;
  return undefined;
}

function findSummaryProblem(point: SummaryPoint): string | undefined {
  return point.count >= 0 ? undefined : 'the summary count is negative or NaN';
}

/** The sum of the counts, or undefined when one is negative or NaN. */
function sumCounts(counts: readonly number[]): number | undefined {
  let total = 0;
  for (const count of counts) {
    if (!(count >= 0)) return undefined;
    total += count;
  }
  return total;
}

function validOffset(buckets: ExponentialBuckets): boolean {
  const end = buckets.offset + buckets.counts.length;
  return (buckets.offset | 0) === buckets.offset && (end | 0) === end;
}

/** Whether `attributes` has more than `limit` keys, without listing them all. */
export function hasMoreKeysThan(attributes: object, limit: number): boolean {
  let count = 0;
  for (const key in attributes) {
    if (Object.hasOwn(attributes, key) && ++count > limit) return true;
  }
  return false;
}
