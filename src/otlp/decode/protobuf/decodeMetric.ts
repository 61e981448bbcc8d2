import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint, OtelMetric, SummaryPoint } from '../../../otelData/otelData.ts';
import { type DataKind, type DataPoints, metricFromData } from '../metricRules.ts';
import { decodeExponentialPoint, decodeHistogramPoint, decodeNumberPoint, decodeSummaryPoint } from './decodeDataPoints.ts';
import { EXPONENTIAL_HISTOGRAM, EXPONENTIAL_POINT, GAUGE, HISTOGRAM, HISTOGRAM_POINT, NUMBER_POINT, SUM, SUMMARY, SUMMARY_POINT } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { LEN, tagOf, VARINT } from './wireTypes.ts';

/** Reads a Metric (its message entered); undefined when it is left out (reported). */
export function decodeMetric(r: ProtobufReader): OtelMetric | undefined {
  let name = '';
  let description = '';
  let unit = '';
  let kind = 0;
  let points: DataPoints = [];
  let temporality = 0;
  let monotonic = false;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        name = r.string();
        break;
      case tagOf(2, LEN):
        description = r.string();
        break;
      case tagOf(3, LEN):
        unit = r.string();
        break;
      case tagOf(5, LEN):
      case tagOf(7, LEN):
      case tagOf(9, LEN):
      case tagOf(10, LEN):
      case tagOf(11, LEN): {
        // The data oneof: the last one read wins, as protobuf has it.
        kind = tag >>> 3;
        const outer = r.enter(kindOfDataField(kind), -1);
        r.temporality = 0;
        r.monotonic = false;
        points = decodeData(r, kind);
        temporality = r.temporality;
        monotonic = r.monotonic;
        r.leave(outer);
        break;
      }
      default:
        skipField(r, tag);
    }
  }
  return metricFromData(r, name, description, unit, dataKindOfField(kind), temporality, monotonic, points);
}

/** The data oneof's kind by its field number; none for 0 (no data read). */
function dataKindOfField(field: number): DataKind | undefined {
  switch (field) {
    case 5:
      return 'gauge';
    case 7:
      return 'sum';
    case 9:
      return 'histogram';
    case 10:
      return 'exponentialHistogram';
    case 11:
      return 'summary';
    default:
      return undefined;
  }
}

/** The message kind of a data field, for error paths. */
function kindOfDataField(field: number): number {
  switch (field) {
    case 5:
      return GAUGE;
    case 7:
      return SUM;
    case 9:
      return HISTOGRAM;
    case 10:
      return EXPONENTIAL_HISTOGRAM;
    default:
      return SUMMARY;
  }
}

/** Reads Gauge, Sum, Histogram, ExponentialHistogram or Summary: their points, temporality, monotonicity. */
function decodeData(r: ProtobufReader, field: number): DataPoints {
  const points: (NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint)[] = [];
  let count = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN): {
        let point: NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint | undefined;
        if (field === 5 || field === 7) {
          const outer = r.enter(NUMBER_POINT, count++);
          point = decodeNumberPoint(r);
          r.leave(outer);
        } else if (field === 9) {
          const outer = r.enter(HISTOGRAM_POINT, count++);
          point = decodeHistogramPoint(r);
          r.leave(outer);
        } else if (field === 10) {
          const outer = r.enter(EXPONENTIAL_POINT, count++);
          point = decodeExponentialPoint(r);
          r.leave(outer);
        } else {
          const outer = r.enter(SUMMARY_POINT, count++);
          point = decodeSummaryPoint(r);
          r.leave(outer);
        }
        if (point !== undefined) points.push(point);
        break;
      }
      case tagOf(2, VARINT):
        if (field === 5 || field === 11) skipField(r, tag);
        else r.temporality = r.int32();
        break;
      case tagOf(3, VARINT):
        if (field === 7) r.monotonic = r.bool();
        else skipField(r, tag);
        break;
      default:
        skipField(r, tag);
    }
  }
  return points as DataPoints;
}
