import { fixed64Tag, lengthDelimitedTag, varintTag } from './ProtobufWriter.ts';

/**
 * The tags of the fields the bridge writes, from client_model's `io/prometheus/client/metrics.proto`
 * (kept in proto/; field numbers are what Prometheus reads, names may differ: its own copy calls
 * `created_timestamp` `start_timestamp`).
 */
export const METRIC_FAMILY = {
  name: lengthDelimitedTag(1),
  help: lengthDelimitedTag(2),
  type: varintTag(3),
  metric: lengthDelimitedTag(4),
  unit: lengthDelimitedTag(5),
} as const;

/** `MetricType` enum values. */
export const METRIC_TYPE = { counter: 0, gauge: 1, summary: 2, untyped: 3, histogram: 4 } as const;

export const METRIC = {
  label: lengthDelimitedTag(1),
  gauge: lengthDelimitedTag(2),
  counter: lengthDelimitedTag(3),
  summary: lengthDelimitedTag(4),
  untyped: lengthDelimitedTag(5),
  timestampMs: varintTag(6),
  histogram: lengthDelimitedTag(7),
} as const;

export const LABEL_PAIR = { name: lengthDelimitedTag(1), value: lengthDelimitedTag(2) } as const;

/** Gauge and Untyped: one double. */
export const VALUE = fixed64Tag(1);

export const COUNTER = { value: fixed64Tag(1), exemplar: lengthDelimitedTag(2), createdTimestamp: lengthDelimitedTag(3) } as const;

export const SUMMARY = {
  sampleCount: varintTag(1),
  sampleSum: fixed64Tag(2),
  quantile: lengthDelimitedTag(3),
  createdTimestamp: lengthDelimitedTag(4),
} as const;

export const QUANTILE = { quantile: fixed64Tag(1), value: fixed64Tag(2) } as const;

export const HISTOGRAM = {
  sampleCount: varintTag(1),
  sampleSum: fixed64Tag(2),
  bucket: lengthDelimitedTag(3),
  schema: varintTag(5),
  zeroThreshold: fixed64Tag(6),
  zeroCount: varintTag(7),
  negativeSpan: lengthDelimitedTag(9),
  /** Packed: one length-delimited run of zigzag varints (proto2 writes them unpacked; parsers read both). */
  negativeDelta: lengthDelimitedTag(10),
  positiveSpan: lengthDelimitedTag(12),
  positiveDelta: lengthDelimitedTag(13),
  createdTimestamp: lengthDelimitedTag(15),
  /** Native histograms' exemplars, each with a timestamp. */
  exemplars: lengthDelimitedTag(16),
} as const;

export const BUCKET = { cumulativeCount: varintTag(1), upperBound: fixed64Tag(2), exemplar: lengthDelimitedTag(3) } as const;

export const BUCKET_SPAN = { offset: varintTag(1), length: varintTag(2) } as const;

export const EXEMPLAR = { label: lengthDelimitedTag(1), value: fixed64Tag(2), timestamp: lengthDelimitedTag(3) } as const;

/** google.protobuf.Timestamp. */
export const TIMESTAMP = { seconds: varintTag(1), nanos: varintTag(2) } as const;
