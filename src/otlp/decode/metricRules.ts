import type {
  AttributeValue,
  ExponentialBuckets,
  ExponentialHistogramPoint,
  HistogramPoint,
  InstrumentationScope,
  NumberPoint,
  OtelMetric,
  SummaryPoint,
  Temporality,
} from '../../otelData/otelData.ts';
import type { OtlpDropReason } from './OtlpDecodeOptions.ts';

/**
 * The rules of OTLP metrics that do not depend on the encoding: both decoders read their fields
 * their own way, then hand them here, so that a protobuf and a JSON request carrying the same data
 * give the same metrics and leave out the same parts for the same reasons.
 */

/** Where a decoder reports a part left out; the path is that of the message being read. */
export interface DropReporter {
  drop(reason: OtlpDropReason, droppedDataPoints: number): void;
}

/** The data oneof of a Metric, by its JSON field name. */
export type DataKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

export type DataPoints = NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[];

/** `DataPointFlags.FLAG_NO_RECORDED_VALUE`: the point marks a series that stopped (a staleness marker). */
const FLAG_NO_RECORDED_VALUE = 1;

export function hasNoRecordedValue(flags: number): boolean {
  return (flags & FLAG_NO_RECORDED_VALUE) !== 0;
}

/** An exponential histogram's positive or negative buckets when the point has none. */
export const NO_BUCKETS: ExponentialBuckets = Object.freeze({ offset: 0, counts: Object.freeze([]) });

/** `AggregationTemporality` by number: DELTA (1), CUMULATIVE (2); anything else has none. */
function temporalityOf(code: number): Temporality | undefined {
  return code === 2 ? 'cumulative' : code === 1 ? 'delta' : undefined;
}

/**
 * A Metric from the fields read: left out (and reported) when it carries no data, or when a sum or
 * (exponential) histogram has no valid temporality (its points go with it). The temporality and
 * monotonicity of data kinds that have none are ignored.
 */
export function metricFromData(
  reporter: DropReporter,
  name: string,
  description: string,
  unit: string,
  kind: DataKind | undefined,
  temporalityCode: number,
  monotonic: boolean,
  points: DataPoints,
): OtelMetric | undefined {
  if (kind === undefined) {
    reporter.drop('metric_without_data', 0);
    return undefined;
  }
  if (kind === 'gauge') return { name, description, unit, kind, points: points as NumberPoint[] };
  if (kind === 'summary') return { name, description, unit, kind, points: points as SummaryPoint[] };
  const temporality = temporalityOf(temporalityCode);
  if (temporality === undefined) {
    reporter.drop('invalid_temporality', points.length);
    return undefined;
  }
  if (kind === 'sum') return { name, description, unit, kind, monotonic, temporality, points: points as NumberPoint[] };
  if (kind === 'histogram') return { name, description, unit, kind, temporality, points: points as HistogramPoint[] };
  return { name, description, unit, kind, temporality, points: points as ExponentialHistogramPoint[] };
}

/**
 * Checks a histogram point's buckets, completing them in place: no bucket counts (allowed by OTLP)
 * puts every observation in the +Inf bucket; otherwise there must be one count more than bounds,
 * or the point is left out (false, and reported).
 */
export function checkHistogramBuckets(reporter: DropReporter, count: number, counts: number[], bounds: number[]): boolean {
  if (counts.length === 0) {
    counts.push(count);
    bounds.length = 0;
    return true;
  }
  if (counts.length === bounds.length + 1) return true;
  reporter.drop('invalid_histogram_buckets', 1);
  return false;
}

/** An InstrumentationScope: empty version and schema URL are unset, and so are attributes without any. */
export function scopeOf(name: string, version: string, schemaUrl: string, attributes: Record<string, AttributeValue> | undefined): InstrumentationScope {
  return {
    name,
    version: version === '' ? undefined : version,
    schemaUrl: schemaUrl === '' ? undefined : schemaUrl,
    attributes: attributes !== undefined && Object.keys(attributes).length === 0 ? undefined : attributes,
  };
}
