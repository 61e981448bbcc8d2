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
import { decodeAttributes } from './decodeAttributes.ts';
import { decodeExemplars } from './decodeExemplars.ts';
import type { JsonObject, JsonWalker } from './JsonWalker.ts';

/** The walkers of the five kinds of data point (each object entered by the caller). */

export function decodeNumberPoint(w: JsonWalker, message: JsonObject): NumberPoint {
  let attributes: Record<string, AttributeValue> = {};
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let value = 0;
  let valueField: string | undefined;
  let exemplars: Exemplar[] | undefined;
  let flags = 0;
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    switch (key) {
      case 'attributes':
        attributes = decodeAttributes(w, field, 'attributes');
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeMs = w.timeMs(field, 'startTimeUnixNano');
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeMs = w.timeMs(field, 'timeUnixNano') ?? 0;
        break;
      case 'asDouble':
      case 'as_double':
      case 'asInt':
      case 'as_int': {
        const name = key === 'asDouble' || key === 'as_double' ? 'asDouble' : 'asInt';
        if (valueField !== undefined && valueField !== name) throw w.fail(`both ${valueField} and ${name} are set; a point has one of them`);
        valueField = name;
        value = name === 'asDouble' ? w.double(field, name) : w.int64Number(field, name);
        break;
      }
      case 'exemplars':
        exemplars = decodeExemplars(w, field);
        break;
      case 'flags':
        flags = w.int32(field, 'flags', 0, 2 ** 32 - 1);
        break;
    }
  }
  return { attributes, startTimeMs, timeMs, value, exemplars, noRecordedValue: hasNoRecordedValue(flags) };
}

export function decodeHistogramPoint(w: JsonWalker, message: JsonObject): HistogramPoint | undefined {
  let attributes: Record<string, AttributeValue> = {};
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let count = 0;
  let sum: number | undefined;
  let counts: number[] = [];
  let bounds: number[] = [];
  let exemplars: Exemplar[] | undefined;
  let flags = 0;
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    switch (key) {
      case 'attributes':
        attributes = decodeAttributes(w, field, 'attributes');
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeMs = w.timeMs(field, 'startTimeUnixNano');
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeMs = w.timeMs(field, 'timeUnixNano') ?? 0;
        break;
      case 'count':
        count = w.uint64(field, 'count');
        break;
      case 'sum':
        sum = w.double(field, 'sum');
        break;
      case 'bucketCounts':
      case 'bucket_counts':
        counts = decodeCounts(w, field, 'bucketCounts');
        break;
      case 'explicitBounds':
      case 'explicit_bounds': {
        const list = w.array(field, 'explicitBounds');
        bounds = new Array<number>(list.length);
        for (let i = 0; i < list.length; i++) bounds[i] = w.double(list[i], 'explicitBounds', i);
        break;
      }
      case 'exemplars':
        exemplars = decodeExemplars(w, field);
        break;
      case 'flags':
        flags = w.int32(field, 'flags', 0, 2 ** 32 - 1);
        break;
    }
  }
  if (!checkHistogramBuckets(w, count, counts, bounds)) return undefined;
  return { attributes, startTimeMs, timeMs, count, sum, bounds, counts, exemplars, noRecordedValue: hasNoRecordedValue(flags) };
}

function decodeCounts(w: JsonWalker, value: unknown, field: string): number[] {
  const list = w.array(value, field);
  const counts = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) counts[i] = w.uint64(list[i], field, i);
  return counts;
}

export function decodeExponentialPoint(w: JsonWalker, message: JsonObject): ExponentialHistogramPoint {
  let attributes: Record<string, AttributeValue> = {};
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
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    switch (key) {
      case 'attributes':
        attributes = decodeAttributes(w, field, 'attributes');
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeMs = w.timeMs(field, 'startTimeUnixNano');
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeMs = w.timeMs(field, 'timeUnixNano') ?? 0;
        break;
      case 'count':
        count = w.uint64(field, 'count');
        break;
      case 'sum':
        sum = w.double(field, 'sum');
        break;
      case 'scale':
        scale = w.int32(field, 'scale', -(2 ** 31), 2 ** 31 - 1);
        break;
      case 'zeroCount':
      case 'zero_count':
        zeroCount = w.uint64(field, 'zeroCount');
        break;
      case 'zeroThreshold':
      case 'zero_threshold':
        zeroThreshold = w.double(field, 'zeroThreshold');
        break;
      case 'positive':
      case 'negative': {
        const buckets = decodeBuckets(w, w.enter(field, key, -1));
        w.leave();
        if (key === 'positive') positive = buckets;
        else negative = buckets;
        break;
      }
      case 'exemplars':
        exemplars = decodeExemplars(w, field);
        break;
      case 'flags':
        flags = w.int32(field, 'flags', 0, 2 ** 32 - 1);
        break;
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

function decodeBuckets(w: JsonWalker, message: JsonObject): ExponentialBuckets {
  let offset = 0;
  let counts: number[] = [];
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    if (key === 'offset') offset = w.int32(field, 'offset', -(2 ** 31), 2 ** 31 - 1);
    else if (key === 'bucketCounts' || key === 'bucket_counts') counts = decodeCounts(w, field, 'bucketCounts');
  }
  return { offset, counts };
}

export function decodeSummaryPoint(w: JsonWalker, message: JsonObject): SummaryPoint {
  let attributes: Record<string, AttributeValue> = {};
  let startTimeMs: number | undefined;
  let timeMs = 0;
  let count = 0;
  let sum = 0;
  const quantiles: { quantile: number; value: number }[] = [];
  let flags = 0;
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    switch (key) {
      case 'attributes':
        attributes = decodeAttributes(w, field, 'attributes');
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeMs = w.timeMs(field, 'startTimeUnixNano');
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeMs = w.timeMs(field, 'timeUnixNano') ?? 0;
        break;
      case 'count':
        count = w.uint64(field, 'count');
        break;
      case 'sum':
        sum = w.double(field, 'sum');
        break;
      case 'quantileValues':
      case 'quantile_values': {
        const list = w.array(field, 'quantileValues');
        for (let i = 0; i < list.length; i++) {
          const entry = w.enter(list[i], 'quantileValues', i);
          let quantile = 0;
          let value = 0;
          for (const entryKey in entry) {
            const entryValue = entry[entryKey];
            if (entryValue === null) continue;
            if (entryKey === 'quantile') quantile = w.double(entryValue, 'quantile');
            else if (entryKey === 'value') value = w.double(entryValue, 'value');
          }
          w.leave();
          quantiles.push({ quantile, value });
        }
        break;
      }
      case 'flags':
        flags = w.int32(field, 'flags', 0, 2 ** 32 - 1);
        break;
    }
  }
  return { attributes, startTimeMs, timeMs, count, sum, quantiles, exemplars: undefined, noRecordedValue: hasNoRecordedValue(flags) };
}
