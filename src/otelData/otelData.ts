/**
 * The OpenTelemetry metrics data the bridge consumes, independent of where it came from.
 *
 * Two sources produce it: the SDK reader (in-process) and the OTLP receiver (sidecar). It mirrors
 * the OTLP data model closely, with times in milliseconds since the epoch (fractions allowed).
 */

/**
 * Attribute values: strings, numbers, booleans, or (from OTLP and newer SDKs) arrays, maps, bytes,
 * bigints; anything that is not a string is written as text by the label rules.
 */
export type AttributeValue = unknown;

export type Attributes = { readonly [key: string]: AttributeValue };

export interface Exemplar {
  readonly value: number;
  readonly timeMs?: number;
  /** Lower-case hex, 32 characters. */
  readonly traceId?: string;
  /** Lower-case hex, 16 characters. */
  readonly spanId?: string;
  /** Attributes recorded with the measurement that were filtered out of the series. */
  readonly attributes?: Attributes;
}

interface PointBase {
  readonly attributes: Attributes;
  /** Start of the aggregation; for cumulative points, when the series (re)started. */
  readonly startTimeMs?: number;
  readonly timeMs: number;
  readonly exemplars?: readonly Exemplar[];
  /** OTLP's FLAG_NO_RECORDED_VALUE: the series exists but has no value now (a staleness marker). */
  readonly noRecordedValue?: boolean;
}

export interface NumberPoint extends PointBase {
  readonly value: number;
}

export interface HistogramPoint extends PointBase {
  readonly count: number;
  readonly sum?: number;
  /** Upper bounds, ascending, without +Inf. */
  readonly bounds: readonly number[];
  /** Counts per bucket (not cumulative); one more than bounds, the last is (bounds[n-1], +Inf). */
  readonly counts: readonly number[];
}

export interface ExponentialBuckets {
  readonly offset: number;
  readonly counts: readonly number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  readonly count: number;
  readonly sum?: number;
  readonly scale: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly positive: ExponentialBuckets;
  readonly negative: ExponentialBuckets;
}

export interface SummaryPoint extends PointBase {
  readonly count: number;
  readonly sum: number;
  readonly quantiles: readonly { readonly quantile: number; readonly value: number }[];
}

export type Temporality = 'cumulative' | 'delta';

interface MetricBase {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

export interface SumMetric extends MetricBase {
  readonly kind: 'sum';
  readonly monotonic: boolean;
  readonly temporality: Temporality;
  readonly points: readonly NumberPoint[];
}

export interface GaugeMetric extends MetricBase {
  readonly kind: 'gauge';
  readonly points: readonly NumberPoint[];
}

export interface HistogramMetric extends MetricBase {
  readonly kind: 'histogram';
  readonly temporality: Temporality;
  readonly points: readonly HistogramPoint[];
}

export interface ExponentialHistogramMetric extends MetricBase {
  readonly kind: 'exponentialHistogram';
  readonly temporality: Temporality;
  readonly points: readonly ExponentialHistogramPoint[];
}

export interface SummaryMetric extends MetricBase {
  readonly kind: 'summary';
  readonly points: readonly SummaryPoint[];
}

export type OtelMetric = SumMetric | GaugeMetric | HistogramMetric | ExponentialHistogramMetric | SummaryMetric;

export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly attributes?: Attributes;
}

export interface ScopeMetrics {
  readonly scope: InstrumentationScope;
  readonly metrics: readonly OtelMetric[];
}

export interface ResourceMetrics {
  readonly resource: { readonly attributes: Attributes; readonly schemaUrl?: string };
  readonly scopeMetrics: readonly ScopeMetrics[];
}
