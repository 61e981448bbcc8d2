/**
 * Why a well-formed part of a request was left out of the decoded data (the request as a whole
 * is still accepted):
 * - `metric_without_data`: a metric with none of gauge, sum, histogram, exponential_histogram,
 *   summary (a newer data type, or a sender bug).
 * - `invalid_temporality`: a sum or (exponential) histogram whose aggregation temporality is
 *   neither DELTA (1) nor CUMULATIVE (2); the whole metric is left out.
 * - `invalid_histogram_buckets`: a histogram point whose bucket counts are neither empty nor one
 *   more than its explicit bounds.
 * - `profiling_field_ignored`: `key_strindex` or `string_value_strindex`, fields that only the
 *   profiling signal uses; nothing is dropped, the key or value is read as absent (what the OTLP
 *   spec asks receivers of other signals to do, and to log it).
 */
export type OtlpDropReason = 'metric_without_data' | 'invalid_temporality' | 'invalid_histogram_buckets' | 'profiling_field_ignored';

export interface OtlpDecodeOptions {
  /**
   * Told about each part left out: the reason, the field path, and how many data points went with
   * it (for OTLP's `partial_success.rejected_data_points` and the bridge's drop counters).
   * Default: none; what is left out is then left out silently.
   */
  readonly onDrop?: (reason: OtlpDropReason, path: string, droppedDataPoints: number) => void;
}
