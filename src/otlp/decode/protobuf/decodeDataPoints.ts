import type {
  AttributeValue,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  SummaryPoint,
} from '../../../otelData/otelData.ts';
import { checkHistogramBuckets, hasNoRecordedValue, NO_BUCKETS } from '../metricRules.ts';
import { decodeExemplar } from './decodeExemplar.ts';
import { decodeKeyValueInto } from './decodeKeyValue.ts';
import { BUCKETS, VALUE_AT_QUANTILE } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { I64, LEN, tagOf, VARINT } from './wireTypes.ts';

/** The walkers of the five kinds of data point (each message entered by the caller). */

export function decodeNumberPoint(r: ProtobufReader): NumberPoint {
  const attributes: Record<string, AttributeValue> = {};
  let attributeCount = 0;
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let value = 0;
  let exemplars: Exemplar[] | undefined;
  let flags = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(2, I64):
        startTimeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        timeMs = r.timeMs() ?? 0;
        break;
      case tagOf(4, I64):
        value = r.double();
        break;
      case tagOf(6, I64):
        value = r.sfixed64Number();
        break;
      case tagOf(5, LEN):
        exemplars ??= [];
        exemplars.push(decodeExemplar(r, exemplars.length));
        break;
      case tagOf(7, LEN):
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      case tagOf(8, VARINT):
        flags = r.int32();
        break;
      default:
        skipField(r, tag);
    }
  }
  return { attributes, startTimeMs, timeMs, value, exemplars, noRecordedValue: hasNoRecordedValue(flags) };
}

export function decodeHistogramPoint(r: ProtobufReader): HistogramPoint | undefined {
  const attributes: Record<string, AttributeValue> = {};
  let attributeCount = 0;
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let count = 0;
  let sum: number | undefined;
  const counts: number[] = [];
  const bounds: number[] = [];
  let exemplars: Exemplar[] | undefined;
  let flags = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(2, I64):
        startTimeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        timeMs = r.timeMs() ?? 0;
        break;
      case tagOf(4, I64):
        count = r.fixed64Number();
        break;
      case tagOf(5, I64):
        sum = r.double();
        break;
      case tagOf(6, I64):
      case tagOf(6, LEN):
        r.fixed64List(tag & 7, counts);
        break;
      case tagOf(7, I64):
      case tagOf(7, LEN):
        r.doubleList(tag & 7, bounds);
        break;
      case tagOf(8, LEN):
        exemplars ??= [];
        exemplars.push(decodeExemplar(r, exemplars.length));
        break;
      case tagOf(9, LEN):
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      case tagOf(10, VARINT):
        flags = r.int32();
        break;
      default:
        skipField(r, tag);
    }
  }
  if (!checkHistogramBuckets(r, count, counts, bounds)) return undefined;
  return { attributes, startTimeMs, timeMs, count, sum, bounds, counts, exemplars, noRecordedValue: hasNoRecordedValue(flags) };
}

export function decodeExponentialPoint(r: ProtobufReader): ExponentialHistogramPoint {
  const attributes: Record<string, AttributeValue> = {};
  let attributeCount = 0;
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let count = 0;
  let sum: number | undefined;
  let scale = 0;
  let zeroCount = 0;
  let zeroThreshold = 0;
  let positive = NO_BUCKETS;
  let negative = NO_BUCKETS;
  let exemplars: Exemplar[] | undefined;
  let flags = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      case tagOf(2, I64):
        startTimeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        timeMs = r.timeMs() ?? 0;
        break;
      case tagOf(4, I64):
        count = r.fixed64Number();
        break;
      case tagOf(5, I64):
        sum = r.double();
        break;
      case tagOf(6, VARINT):
        scale = r.sint32();
        break;
      case tagOf(7, I64):
        zeroCount = r.fixed64Number();
        break;
      case tagOf(8, LEN):
        positive = decodeBuckets(r);
        break;
      case tagOf(9, LEN):
        negative = decodeBuckets(r);
        break;
      case tagOf(10, VARINT):
        flags = r.int32();
        break;
      case tagOf(11, LEN):
        exemplars ??= [];
        exemplars.push(decodeExemplar(r, exemplars.length));
        break;
      case tagOf(14, I64):
        zeroThreshold = r.double();
        break;
      default:
        skipField(r, tag);
    }
  }
  return {
    attributes,
    startTimeMs,
    timeMs,
    count,
    sum,
    scale,
    zeroCount,
    zeroThreshold,
    positive,
    negative,
    exemplars,
    noRecordedValue: hasNoRecordedValue(flags),
  };
}

function decodeBuckets(r: ProtobufReader): ExponentialBuckets {
  const outer = r.enter(BUCKETS, -1);
  let offset = 0;
  const counts: number[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, VARINT):
        offset = r.sint32();
        break;
      case tagOf(2, VARINT):
      case tagOf(2, LEN):
        r.uint64List(tag & 7, counts);
        break;
      default:
        skipField(r, tag);
    }
  }
  r.leave(outer);
  return { offset, counts };
}

export function decodeSummaryPoint(r: ProtobufReader): SummaryPoint {
  const attributes: Record<string, AttributeValue> = {};
  let attributeCount = 0;
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let count = 0;
  let sum = 0;
  const quantiles: { quantile: number; value: number }[] = [];
  let flags = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(2, I64):
        startTimeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        timeMs = r.timeMs() ?? 0;
        break;
      case tagOf(4, I64):
        count = r.fixed64Number();
        break;
      case tagOf(5, I64):
        sum = r.double();
        break;
      case tagOf(6, LEN): {
        const outer = r.enter(VALUE_AT_QUANTILE, quantiles.length);
        let quantile = 0;
        let value = 0;
        while (r.pos < r.limit) {
          const quantileTag = r.tag();
          if (quantileTag === tagOf(1, I64)) quantile = r.double();
          else if (quantileTag === tagOf(2, I64)) value = r.double();
          else skipField(r, quantileTag);
        }
        r.leave(outer);
        quantiles.push({ quantile, value });
        break;
      }
      case tagOf(7, LEN):
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      case tagOf(8, VARINT):
        flags = r.int32();
        break;
      default:
        skipField(r, tag);
    }
  }
  return { attributes, startTimeMs, timeMs, count, sum, quantiles, exemplars: undefined, noRecordedValue: hasNoRecordedValue(flags) };
}
