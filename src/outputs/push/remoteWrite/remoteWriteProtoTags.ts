import { fixed64Tag, lengthDelimitedTag, varintTag } from '../../../exposition/protobuf/ProtobufWriter.ts';
import type { MetricType } from '../../../model/family.ts';

/**
 * Field tags of the remote-write messages, from the official `.proto` files kept in
 * `proto/prometheus/` (1.0: prompb/remote.proto and types.proto; 2.0:
 * io/prometheus/write/v2/types.proto).
 */
export const V1 = {
  /** WriteRequest */
  TIMESERIES: lengthDelimitedTag(1),
  METADATA: lengthDelimitedTag(3),
  /** TimeSeries */
  LABEL: lengthDelimitedTag(1),
  SAMPLE: lengthDelimitedTag(2),
  HISTOGRAM: lengthDelimitedTag(4),
  /** Label */
  LABEL_NAME: lengthDelimitedTag(1),
  LABEL_VALUE: lengthDelimitedTag(2),
  /** MetricMetadata */
  METADATA_TYPE: varintTag(1),
  METADATA_FAMILY_NAME: lengthDelimitedTag(2),
  METADATA_HELP: lengthDelimitedTag(4),
  METADATA_UNIT: lengthDelimitedTag(5),
} as const;

export const V2 = {
  /** Request */
  SYMBOL: lengthDelimitedTag(4),
  TIMESERIES: lengthDelimitedTag(5),
  /** TimeSeries */
  LABELS_REFS: lengthDelimitedTag(1),
  SAMPLE: lengthDelimitedTag(2),
  HISTOGRAM: lengthDelimitedTag(3),
  METADATA: lengthDelimitedTag(5),
  /** TimeSeries.created_timestamp: 2.0's first field for the start (Prometheus 3.0 to 3.x read it; now reserved). */
  CREATED_TIMESTAMP: varintTag(6),
  /** Metadata */
  METADATA_TYPE: varintTag(1),
  METADATA_HELP_REF: varintTag(3),
  METADATA_UNIT_REF: varintTag(4),
  /** Sample.start_timestamp, the field that replaced TimeSeries.created_timestamp. */
  SAMPLE_START_TIMESTAMP: varintTag(3),
  /** Histogram.start_timestamp. */
  HISTOGRAM_START_TIMESTAMP: varintTag(17),
} as const;

/** Sample, in both versions. */
export const SAMPLE = {
  VALUE: fixed64Tag(1),
  TIMESTAMP: varintTag(2),
} as const;

/** Histogram and BucketSpan, in both versions. */
export const HISTOGRAM = {
  COUNT_INT: varintTag(1),
  SUM: fixed64Tag(3),
  SCHEMA: varintTag(4),
  ZERO_THRESHOLD: fixed64Tag(5),
  ZERO_COUNT_INT: varintTag(6),
  NEGATIVE_SPANS: lengthDelimitedTag(8),
  NEGATIVE_DELTAS: lengthDelimitedTag(9),
  POSITIVE_SPANS: lengthDelimitedTag(11),
  POSITIVE_DELTAS: lengthDelimitedTag(12),
  TIMESTAMP: varintTag(15),
  SPAN_OFFSET: varintTag(1),
  SPAN_LENGTH: varintTag(2),
} as const;

/** MetricMetadata.MetricType (1.0) and Metadata.MetricType (2.0) number the types alike. */
export function metricTypeNumber(type: MetricType): number {
  switch (type) {
    case 'counter':
      return 1;
    case 'gauge':
      return 2;
    case 'histogram':
      return 3;
    case 'summary':
      return 5;
  }
}

/** Prometheus' staleness marker, `0x7ff0000000000002`, as the little-endian bytes of a double (a NaN's payload is not kept by JavaScript arithmetic). */
export const STALE_NAN_BYTES = Uint8Array.of(0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f);
