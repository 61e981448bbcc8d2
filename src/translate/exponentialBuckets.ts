import type { ExponentialBuckets, ExponentialHistogramPoint } from '../otelData/otelData.ts';

/** Default bound on the classic buckets an exponential histogram becomes in the text formats. */
export const DEFAULT_MAX_EXPONENTIAL_BUCKETS = 40;

/** The smallest scale OpenTelemetry defines; below it a bucket boundary overflows a double. */
const MIN_SCALE = -10;

export interface ClassicBuckets {
  /** Upper bounds, strictly ascending, without +Inf. */
  readonly bounds: number[];
  /** Count per bucket, not cumulative; one more than bounds (the last is the +Inf bucket). */
  readonly counts: number[];
}

/**
 * Converts an exponential histogram to classic `le` buckets at its own boundaries. When more than
 * `maxBuckets` populated buckets would result, the histogram is downscaled first (each step merges
 * neighbouring buckets pairwise, halving the resolution), so the text formats stay bounded.
 */
export function toClassicBuckets(
  point: Pick<ExponentialHistogramPoint, 'scale' | 'zeroCount' | 'zeroThreshold' | 'positive' | 'negative' | 'count'>,
  maxBuckets: number,
): ClassicBuckets {
  let scale = point.scale;
  let positive = trimZeros(point.positive);
  let negative = trimZeros(point.negative);
  const hasZeroBucket = point.zeroCount > 0 || negative.counts.length > 0;
  const limit = Math.max(1, maxBuckets);
  while (positive.counts.length + negative.counts.length + (hasZeroBucket ? 1 : 0) > limit && scale > MIN_SCALE) {
    positive = downscaleByOne(positive);
    negative = downscaleByOne(negative);
    scale--;
  }

  const bounds: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let overflow = 0;
  const push = (rawBound: number, count: number): void => {
    total += count;
    if (rawBound === Infinity) {
      overflow += count; // a boundary past the largest double is the +Inf bucket
      return;
    }
    const bound = rawBound === -Infinity ? -Number.MAX_VALUE : rawBound;
    const last = bounds.length - 1;
    if (last >= 0 && bound <= bounds[last]!) {
      counts[last]! += count; // rounds to the previous boundary: same bucket
      return;
    }
    bounds.push(bound);
    counts.push(count);
  };

  // Negative bucket i holds values in [-base^(i+1), -base^i): upper bound -base^i, most negative first.
  for (let i = negative.counts.length - 1; i >= 0; i--) push(-boundary(negative.offset + i, scale), negative.counts[i]!);
  if (hasZeroBucket) push(point.zeroThreshold, point.zeroCount);
  // Positive bucket i holds values in (base^i, base^(i+1)]: upper bound base^(i+1).
  for (let i = 0; i < positive.counts.length; i++) push(boundary(positive.offset + i + 1, scale), positive.counts[i]!);

  // Whatever the buckets do not account for lands in +Inf, so that it always equals the count.
  counts.push(overflow + Math.max(0, point.count - total));
  // At the smallest scale negative, zero and positive buckets can still exceed a small limit:
  // the lowest buckets merge into the next one up (their values are below its bound too).
  const excess = bounds.length - limit;
  if (excess > 0) {
    counts.unshift(counts.splice(0, excess + 1).reduce((a, b) => a + b, 0));
    bounds.splice(0, excess);
  }
  return { bounds, counts };
}

/** base^index with base = 2^(2^-scale). */
function boundary(index: number, scale: number): number {
  return Math.pow(2, index * Math.pow(2, -scale));
}

function trimZeros(buckets: ExponentialBuckets): { offset: number; counts: number[] } {
  let start = 0;
  let end = buckets.counts.length;
  while (start < end && !(buckets.counts[start]! > 0)) start++;
  while (end > start && !(buckets.counts[end - 1]! > 0)) end--;
  return { offset: buckets.offset + start, counts: buckets.counts.slice(start, end) };
}

function downscaleByOne(buckets: { offset: number; counts: number[] }): { offset: number; counts: number[] } {
  if (buckets.counts.length === 0) return buckets;
  const offset = Math.floor(buckets.offset / 2);
  const last = Math.floor((buckets.offset + buckets.counts.length - 1) / 2);
  const counts = new Array<number>(last - offset + 1).fill(0);
  for (let i = 0; i < buckets.counts.length; i++) counts[Math.floor((buckets.offset + i) / 2) - offset]! += buckets.counts[i]!;
  return { offset, counts };
}
