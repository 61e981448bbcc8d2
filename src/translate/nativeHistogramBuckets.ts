import type { ExponentialBuckets, ExponentialHistogramPoint } from '../otelData/otelData.ts';

/** The schemas (scales) a Prometheus native histogram can have: base 2^(2^-schema), from 65536 down to 2^(1/256). */
export const NATIVE_SCHEMA_MIN = -4;
export const NATIVE_SCHEMA_MAX = 8;

/**
 * The zero bucket's width when the point's is 0 (OpenTelemetry SDKs' default): Prometheus' own OTLP
 * translator (`defaultZeroThreshold` in its otlptranslator) uses it for every point. Being above
 * 0, it also marks the histogram as native to every scraper, 2.40 to 3.x, even without buckets.
 */
export const DEFAULT_NATIVE_ZERO_THRESHOLD = 1e-128;

/**
 * Gaps of at most this many empty buckets between populated ones are written as zero buckets
 * rather than as a new span: a span costs more bytes than two zero deltas (client_golang's and
 * Prometheus' `convertBucketsLayout` constant).
 */
const MAX_FILLED_GAP = 2;

/** A run of consecutive native buckets: `offset` from the end of the previous span (from index 0 for the first). */
export interface NativeBucketSpan {
  readonly offset: number;
  readonly length: number;
}

/** One sign's buckets as a native histogram holds them: spans, and each bucket's count as a delta to the previous bucket's. */
export interface NativeBuckets {
  readonly spans: readonly NativeBucketSpan[];
  readonly deltas: readonly number[];
}

export interface NativeHistogramLayout {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly positive: NativeBuckets;
  readonly negative: NativeBuckets;
}

const NO_BUCKETS: NativeBuckets = { spans: [], deltas: [] };

/**
 * An OpenTelemetry exponential histogram's buckets as a Prometheus native histogram's (the
 * OpenTelemetry specification's "Prometheus and OpenMetrics Compatibility", as Prometheus' own
 * OTLP translator does it): the scale is the schema, a scale above 8 downscaled to 8 (each step
 * merges neighbouring buckets pairwise); a scale below −4 has no native form (undefined).
 */
export function toNativeHistogram(point: Pick<ExponentialHistogramPoint, 'scale' | 'zeroThreshold' | 'positive' | 'negative'>): NativeHistogramLayout | undefined {
  if (point.scale < NATIVE_SCHEMA_MIN) return undefined;
  const scaleDown = Math.max(0, point.scale - NATIVE_SCHEMA_MAX);
  return {
    schema: point.scale - scaleDown,
    zeroThreshold: point.zeroThreshold > 0 ? point.zeroThreshold : DEFAULT_NATIVE_ZERO_THRESHOLD,
    positive: toNativeBuckets(point.positive, scaleDown),
    negative: toNativeBuckets(point.negative, scaleDown),
  };
}

/**
 * One sign's dense OpenTelemetry buckets as sparse native ones, `scaleDown` scales lower.
 * OpenTelemetry's bucket i holds (base^i, base^(i+1)], Prometheus' bucket i holds (base^(i-1), base^i]:
 * so OpenTelemetry's i (after downscaling, i >> scaleDown) is Prometheus' i + 1. Empty buckets at
 * either end are left out; gaps of more than `MAX_FILLED_GAP` empty buckets start a new span.
 */
export function toNativeBuckets(buckets: ExponentialBuckets, scaleDown: number): NativeBuckets {
  const { offset, counts } = buckets;
  const spans: { offset: number; length: number }[] = [];
  const deltas: number[] = [];
  let index = 0; // the native index of the bucket being summed
  let count = 0;
  let lastIndex = 0; // the native index of the last bucket written
  let previousCount = 0;
  const flush = (): void => {
    if (count === 0) return;
    const current = spans.at(-1);
    const gap = index - lastIndex - 1;
    if (current === undefined || gap > MAX_FILLED_GAP) {
      spans.push({ offset: current === undefined ? index : gap, length: 0 });
    } else {
      for (let k = 0; k < gap; k++) {
        deltas.push(0 - previousCount);
        previousCount = 0;
      }
      current.length += gap;
    }
    spans.at(-1)!.length++;
    deltas.push(count - previousCount);
    previousCount = count;
    lastIndex = index;
  };
  for (let i = 0; i < counts.length; i++) {
    const next = ((offset + i) >> scaleDown) + 1;
    if (i > 0 && next !== index) {
      flush();
      count = 0;
    }
    index = next;
    count += counts[i]!;
  }
  flush();
  return spans.length === 0 ? NO_BUCKETS : { spans, deltas };
}
