import type {
  AttributeValue,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  OtelMetric,
  ResourceMetrics,
  ScopeMetrics,
  SummaryPoint,
  Temporality,
} from '../../otelData/otelData.ts';
import { OtlpDecodeError } from './OtlpDecodeError.ts';
import type { OtlpDecodeOptions, OtlpDropReason } from './OtlpDecodeOptions.ts';
import { setAttribute } from './setAttribute.ts';

/**
 * Decoder for OTLP/JSON (`application/json`) `ExportMetricsServiceRequest` bodies: the proto3 JSON
 * mapping with OTLP's changes (trace and span ids in hex, enums as integers). It accepts what a
 * proto3 JSON parser accepts besides: snake_case field names, 64-bit integers as numbers or
 * strings, enum names, `null` for a field's default.
 */

/** JSON nesting (objects and arrays, the top-level object is 1) deeper than this is refused. */
const MAX_DEPTH = 64;

const FLAG_NO_RECORDED_VALUE = 1;

const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

const UNSIGNED_DECIMAL = /^[0-9]+$/;
const SIGNED_DECIMAL = /^-?[0-9]+$/;
const DECIMAL_NUMBER = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_ID = /^[0-9a-fA-F]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]*={0,2}|[A-Za-z0-9_-]*={0,2})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error message shows it: its JSON type, and short scalars themselves. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    default:
      return `an ${typeof value}`;
  }
}

/** The walk's state: the path of the objects being read (for errors and drops) and their depth. */
class JsonWalker {
  readonly names: string[] = [];
  readonly indices: number[] = [];
  depth = 1;
  readonly onDrop: OtlpDecodeOptions['onDrop'];

  constructor(options: OtlpDecodeOptions | undefined) {
    this.onDrop = options?.onDrop;
  }

  path(field?: string, index = -1): string {
    let path = '';
    for (let i = 0; i < this.names.length; i++) {
      path += (i === 0 ? '' : '.') + this.names[i]!;
      const at = this.indices[i]!;
      if (at >= 0) path += `[${at}]`;
    }
    if (field !== undefined) {
      path += (path === '' ? '' : '.') + field;
      if (index >= 0) path += `[${index}]`;
    }
    return path === '' ? 'request' : path;
  }

  fail(problem: string, field?: string, index = -1): OtlpDecodeError {
    return new OtlpDecodeError(this.path(field, index), problem);
  }

  drop(reason: OtlpDropReason, droppedDataPoints: number): void {
    this.onDrop?.(reason, this.path(), droppedDataPoints);
  }

  /** Starts reading `value` as the message in `field` (at `index` of its array, or -1); leave with `leave`. */
  enter(value: unknown, field: string, index: number): JsonObject {
    if (!isObject(value)) throw this.fail(`expected an object, got ${describe(value)}`, field, index);
    const depth = this.depth + (index >= 0 ? 2 : 1);
    if (depth > MAX_DEPTH) throw this.fail(`nesting depth exceeds ${MAX_DEPTH}`, field, index);
    this.depth = depth;
    this.names.push(field);
    this.indices.push(index);
    return value;
  }

  leave(): void {
    this.names.pop();
    this.depth -= this.indices.pop()! >= 0 ? 2 : 1;
  }

  /** A repeated field: an array, or none for null. */
  array(value: unknown, field: string): readonly unknown[] {
    if (Array.isArray(value)) return value;
    if (value === null) return [];
    throw this.fail(`expected an array, got ${describe(value)}`, field);
  }

  string(value: unknown, field: string): string {
    if (typeof value === 'string') return value;
    if (value === null) return '';
    throw this.fail(`expected a string, got ${describe(value)}`, field);
  }

  bool(value: unknown, field: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value === null) return false;
    throw this.fail(`expected true or false, got ${describe(value)}`, field);
  }

  /** A double: a number, or a string with a number, `NaN`, `Infinity` or `-Infinity`. */
  double(value: unknown, field: string, index = -1): number {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      if (DECIMAL_NUMBER.test(value)) return Number(value);
    } else if (value === null) {
      return 0;
    }
    throw this.fail(`expected a number, got ${describe(value)}`, field, index);
  }

  /** A uint64 (counts): an integer number or decimal string; above 2^53 it is rounded. */
  uint64(value: unknown, field: string, index = -1): number {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0) return value;
    } else if (typeof value === 'string') {
      if (UNSIGNED_DECIMAL.test(value)) return Number(value);
    } else if (value === null) {
      return 0;
    }
    throw this.fail(`expected a non-negative integer, got ${describe(value)}`, field, index);
  }

  /** An int64 as a number (an integer point's value); beyond ±2^53 it is rounded. */
  int64Number(value: unknown, field: string): number {
    if (typeof value === 'number') {
      if (Number.isInteger(value)) return value;
    } else if (typeof value === 'string') {
      if (SIGNED_DECIMAL.test(value)) return Number(value);
    } else if (value === null) {
      return 0;
    }
    throw this.fail(`expected an integer, got ${describe(value)}`, field);
  }

  /** An int64 attribute value: a number when it is a safe integer, otherwise a bigint. */
  int64(value: unknown, field: string): number | bigint {
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) return value;
      // Already rounded by JSON.parse; kept as the integer that was read.
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return BigInt(value);
    } else if (typeof value === 'string') {
      if (SIGNED_DECIMAL.test(value)) {
        const n = Number(value);
        if (Number.isSafeInteger(n)) return n;
        const big = BigInt(value);
        if (big >= INT64_MIN && big <= INT64_MAX) return big;
      }
    } else if (value === null) {
      return 0;
    }
    throw this.fail(`expected a 64-bit integer, got ${describe(value)}`, field);
  }

  /** An int32 or uint32 (scale, offset, flags, enums). */
  int32(value: unknown, field: string, min: number, max: number): number {
    const n = typeof value === 'string' && SIGNED_DECIMAL.test(value) ? Number(value) : value === null ? 0 : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
    throw this.fail(`expected an integer from ${min} to ${max}, got ${describe(value)}`, field);
  }

  /** A fixed64 of nanoseconds since the epoch in milliseconds; undefined for 0 (unset). */
  timeMs(value: unknown, field: string): number | undefined {
    if (typeof value === 'string') {
      // Whole milliseconds and the nanoseconds below them apart, so that 19 digits keep their precision.
      const length = value.length;
      const split = length - 6;
      let ms = 0;
      let ns = 0;
      let i = 0;
      for (; i < length; i++) {
        const digit = value.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) break;
        if (i < split) ms = ms * 10 + digit;
        else ns = ns * 10 + digit;
      }
      if (i === length && length > 0) return ms === 0 && ns === 0 ? undefined : ms + ns / 1e6;
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0) return value === 0 ? undefined : value / 1e6;
    } else if (value === null) {
      return undefined;
    }
    throw this.fail(`expected nanoseconds since the epoch (a non-negative integer), got ${describe(value)}`, field);
  }

  /** A trace or span id in hex (OTLP/JSON, not base64), lower-cased; undefined when empty. */
  hexId(value: unknown, field: string, bytes: number): string | undefined {
    if (value === null || value === '') return undefined;
    if (typeof value !== 'string' || !HEX_ID.test(value)) throw this.fail(`expected a hex string, got ${describe(value)}`, field);
    if (value.length !== bytes * 2) throw this.fail(`${value.length} hex digits, expected ${bytes * 2}`, field);
    return value.toLowerCase();
  }

  /** Bytes in base64 (standard or URL-safe alphabet, padding optional). */
  bytes(value: unknown, field: string): Uint8Array {
    if (value === null) return new Uint8Array(0);
    if (typeof value !== 'string' || !BASE64.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
      throw this.fail(`expected base64, got ${describe(value)}`, field);
    }
    return new Uint8Array(Buffer.from(value, 'base64'));
  }
}

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest` (the body as text, or as UTF-8 bytes) into the
 * bridge's data model.
 *
 * Unknown fields are ignored. Well-formed data that the model cannot hold is left out and reported
 * through `options.onDrop`. Invalid JSON, a value of the wrong type or nesting deeper than 64 throw
 * an {@link OtlpDecodeError} naming the field path.
 */
export function decodeExportMetricsServiceRequestJson(body: string | Uint8Array, options?: OtlpDecodeOptions): ResourceMetrics[] {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let root: unknown;
  try {
    // JSON.parse builds deep input without recursing on the stack; the walk below checks the depth.
    root = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError('request', `invalid JSON: ${(error as Error).message}`);
  }
  const w = new JsonWalker(options);
  if (!isObject(root)) throw w.fail(`expected an object, got ${describe(root)}`);
  const resourceMetrics: ResourceMetrics[] = [];
  for (const key in root) {
    if (key === 'resourceMetrics' || key === 'resource_metrics') {
      const list = w.array(root[key], 'resourceMetrics');
      for (let i = 0; i < list.length; i++) {
        const message = w.enter(list[i], 'resourceMetrics', i);
        resourceMetrics.push(decodeResourceMetrics(w, message));
        w.leave();
      }
    }
  }
  return resourceMetrics;
}

function decodeResourceMetrics(w: JsonWalker, message: JsonObject): ResourceMetrics {
  let attributes: Record<string, AttributeValue> = {};
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  for (const key in message) {
    const value = message[key];
    if (value === null) continue;
    switch (key) {
      case 'resource': {
        const resource = w.enter(value, 'resource', -1);
        for (const resourceKey in resource) {
          if (resourceKey === 'attributes') attributes = decodeAttributes(w, resource[resourceKey], 'attributes');
        }
        w.leave();
        break;
      }
      case 'scopeMetrics':
      case 'scope_metrics': {
        const list = w.array(value, 'scopeMetrics');
        for (let i = 0; i < list.length; i++) {
          const scope = w.enter(list[i], 'scopeMetrics', i);
          scopeMetrics.push(decodeScopeMetrics(w, scope));
          w.leave();
        }
        break;
      }
      case 'schemaUrl':
      case 'schema_url':
        schemaUrl = w.string(value, 'schemaUrl');
        break;
    }
  }
  return { resource: { attributes, schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
}

function decodeScopeMetrics(w: JsonWalker, message: JsonObject): ScopeMetrics {
  let name = '';
  let version = '';
  let attributes: Record<string, AttributeValue> | undefined;
  let schemaUrl = '';
  const metrics: OtelMetric[] = [];
  for (const key in message) {
    const value = message[key];
    if (value === null) continue;
    switch (key) {
      case 'scope': {
        const scope = w.enter(value, 'scope', -1);
        for (const scopeKey in scope) {
          const scopeValue = scope[scopeKey];
          if (scopeValue === null) continue;
          if (scopeKey === 'name') name = w.string(scopeValue, 'name');
          else if (scopeKey === 'version') version = w.string(scopeValue, 'version');
          else if (scopeKey === 'attributes') attributes = decodeAttributes(w, scopeValue, 'attributes');
        }
        w.leave();
        break;
      }
      case 'metrics': {
        const list = w.array(value, 'metrics');
        for (let i = 0; i < list.length; i++) {
          const metric = decodeMetric(w, w.enter(list[i], 'metrics', i));
          w.leave();
          if (metric !== undefined) metrics.push(metric);
        }
        break;
      }
      case 'schemaUrl':
      case 'schema_url':
        schemaUrl = w.string(value, 'schemaUrl');
        break;
    }
  }
  if (attributes !== undefined && Object.keys(attributes).length === 0) attributes = undefined;
  return {
    scope: { name, version: version === '' ? undefined : version, schemaUrl: schemaUrl === '' ? undefined : schemaUrl, attributes },
    metrics,
  };
}

type DataKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

function decodeMetric(w: JsonWalker, message: JsonObject): OtelMetric | undefined {
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
  if (kind === undefined) {
    w.drop('metric_without_data', 0);
    return undefined;
  }
  const body = w.enter(data, kind, -1);
  let temporality = 0;
  let monotonic = false;
  let points: NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[] = [];
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
  if (kind === 'gauge') return { name, description, unit, kind, points: points as NumberPoint[] };
  if (kind === 'summary') return { name, description, unit, kind, points: points as SummaryPoint[] };
  const temporalityName: Temporality | undefined = temporality === 2 ? 'cumulative' : temporality === 1 ? 'delta' : undefined;
  if (temporalityName === undefined) {
    w.drop('invalid_temporality', points.length);
    return undefined;
  }
  if (kind === 'sum') return { name, description, unit, kind, monotonic, temporality: temporalityName, points: points as NumberPoint[] };
  if (kind === 'histogram') return { name, description, unit, kind, temporality: temporalityName, points: points as HistogramPoint[] };
  return { name, description, unit, kind, temporality: temporalityName, points: points as ExponentialHistogramPoint[] };
}

function decodePoints(
  w: JsonWalker,
  kind: DataKind,
  list: readonly unknown[],
): NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[] {
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
  return points as NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[];
}

function decodeNumberPoint(w: JsonWalker, message: JsonObject): NumberPoint {
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
  return { attributes, startTimeMs, timeMs, value, exemplars, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

function decodeHistogramPoint(w: JsonWalker, message: JsonObject): HistogramPoint | undefined {
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
  if (counts.length === 0) {
    // No buckets (allowed by OTLP): every observation is in the +Inf bucket.
    counts = [count];
    bounds = [];
  } else if (counts.length !== bounds.length + 1) {
    w.drop('invalid_histogram_buckets', 1);
    return undefined;
  }
  return { attributes, startTimeMs, timeMs, count, sum, bounds, counts, exemplars, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

function decodeCounts(w: JsonWalker, value: unknown, field: string): number[] {
  const list = w.array(value, field);
  const counts = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) counts[i] = w.uint64(list[i], field, i);
  return counts;
}

const NO_BUCKETS: ExponentialBuckets = Object.freeze({ offset: 0, counts: Object.freeze([]) });

function decodeExponentialPoint(w: JsonWalker, message: JsonObject): ExponentialHistogramPoint {
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
    noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0,
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

function decodeSummaryPoint(w: JsonWalker, message: JsonObject): SummaryPoint {
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
  return { attributes, startTimeMs, timeMs, count, sum, quantiles, exemplars: undefined, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

function decodeExemplars(w: JsonWalker, value: unknown): Exemplar[] | undefined {
  const list = w.array(value, 'exemplars');
  if (list.length === 0) return undefined;
  const exemplars: Exemplar[] = [];
  for (let i = 0; i < list.length; i++) {
    const message = w.enter(list[i], 'exemplars', i);
    let exemplarValue = 0;
    let valueField: string | undefined;
    let timeMs: number | undefined;
    let traceId: string | undefined;
    let spanId: string | undefined;
    let attributes: Record<string, AttributeValue> | undefined;
    for (const key in message) {
      const field = message[key];
      if (field === null) continue;
      switch (key) {
        case 'filteredAttributes':
        case 'filtered_attributes':
          attributes = decodeAttributes(w, field, 'filteredAttributes');
          break;
        case 'timeUnixNano':
        case 'time_unix_nano':
          timeMs = w.timeMs(field, 'timeUnixNano');
          break;
        case 'asDouble':
        case 'as_double':
        case 'asInt':
        case 'as_int': {
          const name = key === 'asDouble' || key === 'as_double' ? 'asDouble' : 'asInt';
          if (valueField !== undefined && valueField !== name) throw w.fail(`both ${valueField} and ${name} are set; an exemplar has one of them`);
          valueField = name;
          exemplarValue = name === 'asDouble' ? w.double(field, name) : w.int64Number(field, name);
          break;
        }
        case 'traceId':
        case 'trace_id':
          traceId = w.hexId(field, 'traceId', 16);
          break;
        case 'spanId':
        case 'span_id':
          spanId = w.hexId(field, 'spanId', 8);
          break;
      }
    }
    w.leave();
    if (attributes !== undefined && Object.keys(attributes).length === 0) attributes = undefined;
    exemplars.push({ value: exemplarValue, timeMs, traceId, spanId, attributes });
  }
  return exemplars;
}

/** A repeated KeyValue field as a plain object; a later duplicate key wins. */
function decodeAttributes(w: JsonWalker, value: unknown, field: string): Record<string, AttributeValue> {
  const list = w.array(value, field);
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i < list.length; i++) {
    const keyValue = w.enter(list[i], field, i);
    let key = '';
    let attributeValue: AttributeValue = null;
    for (const name in keyValue) {
      const part = keyValue[name];
      if (part === null) continue;
      if (name === 'key') {
        key = w.string(part, 'key');
      } else if (name === 'value') {
        attributeValue = decodeAnyValue(w, w.enter(part, 'value', -1));
        w.leave();
      } else if (name === 'keyStrindex' || name === 'key_strindex') {
        w.drop('profiling_field_ignored', 0);
      }
    }
    w.leave();
    setAttribute(attributes, key, attributeValue);
  }
  return attributes;
}

/** An AnyValue's content (its object entered): null when it holds none. */
function decodeAnyValue(w: JsonWalker, message: JsonObject): AttributeValue {
  let value: AttributeValue = null;
  let valueField: string | undefined;
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    let name: string;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        name = 'stringValue';
        value = w.string(field, name);
        break;
      case 'boolValue':
      case 'bool_value':
        name = 'boolValue';
        value = w.bool(field, name);
        break;
      case 'intValue':
      case 'int_value':
        name = 'intValue';
        value = w.int64(field, name);
        break;
      case 'doubleValue':
      case 'double_value':
        name = 'doubleValue';
        value = w.double(field, name);
        break;
      case 'arrayValue':
      case 'array_value': {
        name = 'arrayValue';
        const array = w.enter(field, name, -1);
        const values: AttributeValue[] = [];
        for (const arrayKey in array) {
          if (arrayKey !== 'values' || array[arrayKey] === null) continue;
          const list = w.array(array[arrayKey], 'values');
          for (let i = 0; i < list.length; i++) {
            values.push(decodeAnyValue(w, w.enter(list[i], 'values', i)));
            w.leave();
          }
        }
        w.leave();
        value = values;
        break;
      }
      case 'kvlistValue':
      case 'kvlist_value': {
        name = 'kvlistValue';
        const list = w.enter(field, name, -1);
        value = 'values' in list && list.values !== null ? decodeAttributes(w, list.values, 'values') : {};
        w.leave();
        break;
      }
      case 'bytesValue':
      case 'bytes_value':
        name = 'bytesValue';
        value = w.bytes(field, name);
        break;
      case 'stringValueStrindex':
      case 'string_value_strindex':
        name = 'stringValueStrindex';
        value = null;
        w.drop('profiling_field_ignored', 0);
        break;
      default:
        continue;
    }
    if (valueField !== undefined && valueField !== name) throw w.fail(`both ${valueField} and ${name} are set; a value has one of them`);
    valueField = name;
  }
  return value;
}
