import type { ExponentialHistogramData } from './family.ts';
import { latestExponentialExemplars } from './latestExemplars.ts';
import type { ExponentialBuckets } from '../otelData/otelData.ts';

/** The smallest scale OpenTelemetry defines. */
const MIN_SCALE = -10;

/**
 * Buckets per sign an accumulated histogram may grow to before it is downscaled further: the
 * OpenTelemetry SDKs' default maximum size (or the inputs' own size, if larger).
 */
export const MAX_ACCUMULATED_BUCKETS = 160;

/**
 * Adds a delta exponential histogram to an accumulated one: both are brought to the smaller scale
 * (each step down merges neighbouring buckets pairwise), then buckets, zero counts, counts and sums
 * add up. Returns `delta` itself when the zero thresholds differ: the series starts over from it.
 */
export function addExponentialHistograms(total: ExponentialHistogramData, delta: ExponentialHistogramData): ExponentialHistogramData {
  if (total.zeroThreshold !== delta.zeroThreshold) return delta;
  let scale = Math.min(total.scale, delta.scale);
  let totalPositive = downscale(total.positive, total.scale - scale);
  let totalNegative = downscale(total.negative, total.scale - scale);
  let deltaPositive = downscale(delta.positive, delta.scale - scale);
  let deltaNegative = downscale(delta.negative, delta.scale - scale);
  const limit = Math.max(MAX_ACCUMULATED_BUCKETS, total.positive.counts.length, total.negative.counts.length, delta.positive.counts.length, delta.negative.counts.length);
  // Checked before adding, so that far-apart ranges never allocate their whole span.
  while ((spanOf(totalPositive, deltaPositive) > limit || spanOf(totalNegative, deltaNegative) > limit) && scale > MIN_SCALE) {
    totalPositive = downscale(totalPositive, 1);
    totalNegative = downscale(totalNegative, 1);
    deltaPositive = downscale(deltaPositive, 1);
    deltaNegative = downscale(deltaNegative, 1);
    scale--;
  }
  const positive = addBuckets(totalPositive, deltaPositive);
  const negative = addBuckets(totalNegative, deltaNegative);
  return {
    kind: 'exponentialHistogram',
    scale,
    zeroCount: total.zeroCount + delta.zeroCount,
    zeroThreshold: delta.zeroThreshold,
    positive,
    negative,
    count: total.count + delta.count,
    sum: total.sum === undefined || delta.sum === undefined ? undefined : total.sum + delta.sum,
    exemplars: latestExponentialExemplars(total.exemplars, delta.exemplars),
  };
}

/**
 * The buckets at a scale `steps` lower: bucket index i becomes i >> steps (a floor division, also
 * for negative indexes), so each step merges neighbouring buckets pairwise.
 */
export function downscale(buckets: ExponentialBuckets, steps: number): ExponentialBuckets {
  if (steps <= 0 || buckets.counts.length === 0) return buckets;
  const offset = buckets.offset >> steps;
  const last = (buckets.offset + buckets.counts.length - 1) >> steps;
  const counts = new Array<number>(last - offset + 1).fill(0);
  for (let i = 0; i < buckets.counts.length; i++) counts[((buckets.offset + i) >> steps) - offset]! += buckets.counts[i]!;
  return { offset, counts };
}

/** How many buckets the sum of two ranges at one scale spans. */
function spanOf(a: ExponentialBuckets, b: ExponentialBuckets): number {
  if (a.counts.length === 0) return b.counts.length;
  if (b.counts.length === 0) return a.counts.length;
  return Math.max(a.offset + a.counts.length, b.offset + b.counts.length) - Math.min(a.offset, b.offset);
}

/** Bucket-wise sum of two bucket ranges at one scale, covering both ranges. */
export function addBuckets(a: ExponentialBuckets, b: ExponentialBuckets): ExponentialBuckets {
  if (b.counts.length === 0) return a;
  if (a.counts.length === 0) return b;
  const offset = Math.min(a.offset, b.offset);
  const end = Math.max(a.offset + a.counts.length, b.offset + b.counts.length);
  const counts = new Array<number>(end - offset).fill(0);
  for (let i = 0; i < a.counts.length; i++) counts[a.offset - offset + i]! += a.counts[i]!;
  for (let i = 0; i < b.counts.length; i++) counts[b.offset - offset + i]! += b.counts[i]!;
  return { offset, counts };
}
