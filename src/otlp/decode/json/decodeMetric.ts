import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint, OtelMetric, SummaryPoint } from '../../../otelData/otelData.ts';
import { type DataKind, type DataPoints, metricFromData } from '../metricRules.ts';
import { decodeExponentialPoint, decodeHistogramPoint, decodeNumberPoint, decodeSummaryPoint } from './decodeDataPoints.ts';
import type { JsonObject, JsonWalker } from './JsonWalker.ts';

/** `AggregationTemporality` by name: proto3 JSON takes an enum's name as well as its number. */
const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/** Reads a Metric (its object entered); undefined when it is left out (reported). */
export function decodeMetric(w: JsonWalker, message: JsonObject): OtelMetric | undefined {
  let name = '';
  let description = '';
  let unit = '';
  let kind: DataKind | undefined;
  let data: JsonObject | undefined;
  for (const key in message) {
    const value = message[key];
    if (value === null) continue;
    let dataKind: DataKind | undefined;
    switch (key) {
      case 'name':
        name = w.string(value, 'name');
        break;
      case 'description':
        description = w.string(value, 'description');
        break;
      case 'unit':
        unit = w.string(value, 'unit');
        break;
      case 'gauge':
      case 'sum':
      case 'histogram':
      case 'summary':
        dataKind = key;
        break;
      case 'exponentialHistogram':
      case 'exponential_histogram':
        dataKind = 'exponentialHistogram';
        break;
    }
    if (dataKind !== undefined) {
      if (kind !== undefined) throw w.fail(`both ${kind} and ${dataKind} are set; a metric has one of them`);
      kind = dataKind;
      data = value as JsonObject;
    }
  }
  let temporality = 0;
  let monotonic = false;
  let points: DataPoints = [];
  if (kind !== undefined) {
    const body = w.enter(data, kind, -1);
    for (const key in body) {
      const value = body[key];
      if (value === null) continue;
      switch (key) {
        case 'dataPoints':
        case 'data_points':
          points = decodePoints(w, kind, w.array(value, 'dataPoints'));
          break;
        case 'aggregationTemporality':
        case 'aggregation_temporality':
          if (kind !== 'gauge' && kind !== 'summary') {
            temporality = typeof value === 'string' && value in TEMPORALITY_NAMES ? TEMPORALITY_NAMES[value]! : w.int32(value, 'aggregationTemporality', -(2 ** 31), 2 ** 31 - 1);
          }
          break;
        case 'isMonotonic':
        case 'is_monotonic':
          if (kind === 'sum') monotonic = w.bool(value, 'isMonotonic');
          break;
      }
    }
    w.leave();
  }
  return metricFromData(w, name, description, unit, kind, temporality, monotonic, points);
}

function decodePoints(
  w: JsonWalker,
  kind: DataKind,
  list: readonly unknown[],
): DataPoints {
  const points: (NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint)[] = [];
  for (let i = 0; i < list.length; i++) {
    const message = w.enter(list[i], 'dataPoints', i);
    let point: NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint | undefined;
    if (kind === 'gauge' || kind === 'sum') point = decodeNumberPoint(w, message);
    else if (kind === 'histogram') point = decodeHistogramPoint(w, message);
    else if (kind === 'exponentialHistogram') point = decodeExponentialPoint(w, message);
    else point = decodeSummaryPoint(w, message);
    w.leave();
    if (point !== undefined) points.push(point);
  }
  return points as DataPoints;
}
