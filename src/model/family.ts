import type { LabelPairs } from '../translate/labelPairs.ts';
import type { MetricType } from '../translate/metricType.ts';
import type { Exemplar, ExponentialBuckets } from '../otelData/otelData.ts';

export type { MetricType } from '../translate/metricType.ts';

export interface NumberData {
  readonly kind: 'number';
  readonly value: number;
  readonly exemplar?: Exemplar;
}

export interface HistogramData {
  readonly kind: 'histogram';
  /** Upper bounds ascending, without +Inf. */
  readonly bounds: readonly number[];
  /** Per-bucket counts (not cumulative), one more than bounds. */
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum?: number;
  /** One exemplar per bucket at most, aligned with counts. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
}

export interface ExponentialHistogramData {
  readonly kind: 'exponentialHistogram';
  readonly scale: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly positive: ExponentialBuckets;
  readonly negative: ExponentialBuckets;
  readonly count: number;
  readonly sum?: number;
  readonly exemplars?: readonly Exemplar[];
}

export interface SummaryData {
  readonly kind: 'summary';
  readonly quantiles: readonly { readonly quantile: number; readonly value: number }[];
  readonly count: number;
  readonly sum: number;
}

export type SeriesData = NumberData | HistogramData | ExponentialHistogramData | SummaryData;

export interface Series {
  readonly labels: LabelPairs;
  /** The labels as exposition text, `a="x",b="y"` (escaped, no braces), rendered once. */
  readonly labelText: string;
  data: SeriesData;
  /** The time of the latest point (written with `appendTimestamp`). */
  readonly timeMs: number;
  /** Start of a cumulative series (when it last (re)started), if known. */
  readonly startTimeMs?: number | undefined;
}

/** A family of series; `S` is what its owner keeps per series (the series store keeps more). */
export interface Family<S extends Series = Series> {
  /** The metric name as the text format writes it (`http_requests_total`). */
  readonly name: string;
  readonly type: MetricType;
  help: string;
  /** OpenMetrics unit word (`seconds`), '' for none; always a suffix of the family name. */
  unit: string;
  /** Series by label text. */
  readonly series: Map<string, S>;
}
