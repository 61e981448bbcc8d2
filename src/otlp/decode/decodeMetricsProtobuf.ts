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
 * Decoder for `opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest` (OTLP/gRPC and
 * OTLP/HTTP with `application/x-protobuf`), written for the receiver's hot path: one pass over the
 * bytes straight into the bridge's data model, no intermediate message objects, one reused state.
 *
 * Field numbers and types: opentelemetry-proto, `opentelemetry/proto/{collector/metrics,metrics,
 * common,resource}/v1/*.proto`.
 */

/** Messages nested deeper than this (counted from a resource_metrics, which is 1) are refused. */
const MAX_DEPTH = 32;

// Wire types.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;

const WIRE_TYPE_NAMES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32', '6', '7'];

function tagOf(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

// Message kinds: for error paths, and to tell a known field with a wrong wire type from an unknown field.
const REQUEST = 0;
const RESOURCE_METRICS = 1;
const RESOURCE = 2;
const SCOPE_METRICS = 3;
const SCOPE = 4;
const METRIC = 5;
const GAUGE = 6;
const SUM = 7;
const HISTOGRAM = 8;
const EXPONENTIAL_HISTOGRAM = 9;
const SUMMARY = 10;
const NUMBER_POINT = 11;
const HISTOGRAM_POINT = 12;
const EXPONENTIAL_POINT = 13;
const BUCKETS = 14;
const SUMMARY_POINT = 15;
const VALUE_AT_QUANTILE = 16;
const EXEMPLAR = 17;
const KEY_VALUE = 18;
const ANY_VALUE = 19;
const ARRAY_VALUE = 20;
const KEY_VALUE_LIST = 21;

interface FieldInfo {
  readonly name: string;
  /** Wire types accepted; repeated numeric fields take both their own and LEN (packed). */
  readonly wireTypes: readonly number[];
}

type FieldTable = readonly (FieldInfo | undefined)[];

function fieldTable(fields: Record<number, readonly [name: string, ...wireTypes: number[]]>): FieldTable {
  const table: (FieldInfo | undefined)[] = [];
  for (const [number, [name, ...wireTypes]] of Object.entries(fields)) table[Number(number)] = { name, wireTypes };
  return table;
}

const POINT_TIMES = { 2: ['start_time_unix_nano', I64], 3: ['time_unix_nano', I64] } as const;

/** Every field of every message read, indexed by message kind and field number. */
const FIELDS: readonly FieldTable[] = [
  fieldTable({ 1: ['resource_metrics', LEN] }),
  fieldTable({ 1: ['resource', LEN], 2: ['scope_metrics', LEN], 3: ['schema_url', LEN] }),
  fieldTable({ 1: ['attributes', LEN], 2: ['dropped_attributes_count', VARINT], 3: ['entity_refs', LEN] }),
  fieldTable({ 1: ['scope', LEN], 2: ['metrics', LEN], 3: ['schema_url', LEN] }),
  fieldTable({ 1: ['name', LEN], 2: ['version', LEN], 3: ['attributes', LEN], 4: ['dropped_attributes_count', VARINT] }),
  fieldTable({
    1: ['name', LEN],
    2: ['description', LEN],
    3: ['unit', LEN],
    5: ['gauge', LEN],
    7: ['sum', LEN],
    9: ['histogram', LEN],
    10: ['exponential_histogram', LEN],
    11: ['summary', LEN],
    12: ['metadata', LEN],
  }),
  fieldTable({ 1: ['data_points', LEN] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT], 3: ['is_monotonic', VARINT] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT] }),
  fieldTable({ 1: ['data_points', LEN] }),
  fieldTable({
    ...POINT_TIMES,
    4: ['as_double', I64],
    5: ['exemplars', LEN],
    6: ['as_int', I64],
    7: ['attributes', LEN],
    8: ['flags', VARINT],
  }),
  fieldTable({
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['bucket_counts', I64, LEN],
    7: ['explicit_bounds', I64, LEN],
    8: ['exemplars', LEN],
    9: ['attributes', LEN],
    10: ['flags', VARINT],
    11: ['min', I64],
    12: ['max', I64],
  }),
  fieldTable({
    1: ['attributes', LEN],
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['scale', VARINT],
    7: ['zero_count', I64],
    8: ['positive', LEN],
    9: ['negative', LEN],
    10: ['flags', VARINT],
    11: ['exemplars', LEN],
    12: ['min', I64],
    13: ['max', I64],
    14: ['zero_threshold', I64],
  }),
  fieldTable({ 1: ['offset', VARINT], 2: ['bucket_counts', VARINT, LEN] }),
  fieldTable({
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['quantile_values', LEN],
    7: ['attributes', LEN],
    8: ['flags', VARINT],
  }),
  fieldTable({ 1: ['quantile', I64], 2: ['value', I64] }),
  fieldTable({
    2: ['time_unix_nano', I64],
    3: ['as_double', I64],
    4: ['span_id', LEN],
    5: ['trace_id', LEN],
    6: ['as_int', I64],
    7: ['filtered_attributes', LEN],
  }),
  fieldTable({ 1: ['key', LEN], 2: ['value', LEN], 3: ['key_strindex', VARINT] }),
  fieldTable({
    1: ['string_value', LEN],
    2: ['bool_value', VARINT],
    3: ['int_value', VARINT],
    4: ['double_value', I64],
    5: ['array_value', LEN],
    6: ['kvlist_value', LEN],
    7: ['bytes_value', LEN],
    8: ['string_value_strindex', VARINT],
  }),
  fieldTable({ 1: ['values', LEN] }),
  fieldTable({ 1: ['values', LEN] }),
];

function fieldName(kind: number, field: number): string {
  return FIELDS[kind]?.[field]?.name ?? `(field ${field})`;
}

const TWO_POW_32 = 4294967296;
/** The string cache: 4096 slots of strings up to 64 bytes (256 KiB of bytes), per pooled reader. */
const STRING_CACHE_SLOTS = 4096;
const STRING_CACHE_MAX_BYTES = 64;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const FLAG_NO_RECORDED_VALUE = 1;

/** Nanoseconds since the epoch, as two 32-bit halves, to milliseconds with at most one rounding each step. */
function nanosToMs(lo: number, hi: number): number {
  // hi * 2^32 ns = hi * 4294 ms + hi * 967296 ns; both products and the sum with lo stay below 2^53.
  return hi * 4294 + (hi * 967296 + lo) / 1e6;
}

const NO_BYTES = new Uint8Array(0);
const NO_VIEW = new DataView(NO_BYTES.buffer);
const NO_TEXT = Buffer.alloc(0);

/**
 * The reusable decoding state: the input, the read position, the limit of the message being read,
 * the last 64-bit value read (as two unsigned 32-bit halves) and the stack of messages being read
 * (for error paths and the depth limit).
 */
class ProtobufReader {
  bytes: Uint8Array = NO_BYTES;
  view: DataView = NO_VIEW;
  text: Buffer = NO_TEXT;
  pos = 0;
  limit = 0;
  lo = 0;
  hi = 0;
  depth = 0;
  /** What the data message (Sum, Histogram…) being read held besides its points. */
  temporality = 0;
  monotonic = false;
  onDrop: OtlpDecodeOptions['onDrop'] = undefined;
  /** Per depth: the kind of message, its index in its repeated field (-1 if not repeated), the field being read. */
  readonly kinds = new Uint8Array(MAX_DEPTH + 1);
  readonly indices = new Int32Array(MAX_DEPTH + 1);
  readonly fields = new Int32Array(MAX_DEPTH + 1);
  /** The string cache: per slot, the UTF-8 bytes (STRING_CACHE_MAX_BYTES each), their length (-1: empty slot), the string. */
  readonly cacheBytes = new Uint8Array(STRING_CACHE_SLOTS * STRING_CACHE_MAX_BYTES);
  readonly cacheLengths = new Int32Array(STRING_CACHE_SLOTS).fill(-1);
  readonly cacheStrings: string[] = new Array<string>(STRING_CACHE_SLOTS).fill('');

  start(bytes: Uint8Array, options: OtlpDecodeOptions | undefined): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.limit = bytes.length;
    this.depth = 0;
    this.kinds[0] = REQUEST;
    this.indices[0] = -1;
    this.fields[0] = 0;
    this.onDrop = options?.onDrop;
  }

  /** Lets go of the request's bytes so that a pooled reader does not keep them alive. */
  release(): void {
    this.bytes = NO_BYTES;
    this.view = NO_VIEW;
    this.text = NO_TEXT;
    this.onDrop = undefined;
  }

  /** The path of the message being read and, with `withField`, of the field being read in it. */
  path(withField: boolean, pendingIndex = -1): string {
    let path = '';
    for (let d = 1; d <= this.depth; d++) {
      path += (d === 1 ? '' : '.') + fieldName(this.kinds[d - 1]!, this.fields[d - 1]!);
      const index = this.indices[d]!;
      if (index >= 0) path += `[${index}]`;
    }
    const field = this.fields[this.depth]!;
    if (withField && field !== 0) {
      path += (path === '' ? '' : '.') + fieldName(this.kinds[this.depth]!, field);
      if (pendingIndex >= 0) path += `[${pendingIndex}]`;
    }
    return path === '' ? 'request' : path;
  }

  fail(problem: string, pendingIndex = -1): OtlpDecodeError {
    return new OtlpDecodeError(this.path(true, pendingIndex), problem);
  }

  /** Reports a part left out, with the path of the message being read. */
  drop(reason: OtlpDropReason, droppedDataPoints: number): void {
    this.onDrop?.(reason, this.path(false), droppedDataPoints);
  }

  /** Reads a field's tag; its field number becomes the one named in error paths. */
  tag(): number {
    this.fields[this.depth] = 0;
    const pos = this.pos;
    let tag: number;
    if (pos < this.limit && this.bytes[pos]! < 0x80) {
      tag = this.bytes[pos]!;
      this.pos = pos + 1;
    } else {
      this.varintSlow();
      if (this.hi !== 0) throw this.fail('tag beyond 32 bits');
      tag = this.lo;
    }
    const field = tag >>> 3;
    if (field === 0) throw this.fail('invalid field number 0');
    this.fields[this.depth] = field;
    return tag;
  }

  /** Reads a varint into `lo` and `hi`. */
  varint(): void {
    const pos = this.pos;
    if (pos < this.limit && this.bytes[pos]! < 0x80) {
      this.lo = this.bytes[pos]!;
      this.hi = 0;
      this.pos = pos + 1;
    } else {
      this.varintSlow();
    }
  }

  varintSlow(): void {
    const bytes = this.bytes;
    const limit = this.limit;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (i === 10) throw this.fail('varint longer than 10 bytes');
      if (pos >= limit) throw this.fail('truncated varint');
      const b = bytes[pos++]!;
      if (i < 4) {
        lo |= (b & 0x7f) << (7 * i);
      } else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else {
        hi |= (b & 0x7f) << (7 * i - 32);
      }
      if (b < 0x80) break;
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A varint's low 32 bits as a signed number (int32, enum). */
  int32(): number {
    this.varint();
    return this.lo | 0;
  }

  /** A varint as an unsigned number; above 2^53 it is rounded (counts). */
  uint64(): number {
    this.varint();
    return this.hi * TWO_POW_32 + this.lo;
  }

  /** A zigzag-encoded sint32. */
  sint32(): number {
    this.varint();
    const n = this.lo;
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.varint();
    return (this.lo | this.hi) !== 0;
  }

  /** A varint int64: a number when it is a safe integer, otherwise a bigint. */
  int64(): number | bigint {
    this.varint();
    const lo = this.lo;
    const hi = this.hi | 0;
    if (hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && lo === 0)) return hi * TWO_POW_32 + lo;
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(lo));
  }

  /** Reads 8 bytes little-endian into `lo` and `hi`. */
  fixed64(): void {
    const pos = this.pos;
    if (pos + 8 > this.limit) throw this.fail('truncated 64-bit value');
    this.lo = this.view.getUint32(pos, true);
    this.hi = this.view.getUint32(pos + 4, true);
    this.pos = pos + 8;
  }

  /** A fixed64 as a number; above 2^53 it is rounded (counts). */
  fixed64Number(): number {
    this.fixed64();
    return this.hi * TWO_POW_32 + this.lo;
  }

  /** An sfixed64 as a number; beyond ±2^53 it is rounded (the value of an integer point). */
  sfixed64Number(): number {
    this.fixed64();
    return (this.hi | 0) * TWO_POW_32 + this.lo;
  }

  /** A fixed64 of nanoseconds since the epoch in milliseconds; undefined for 0 (unset). */
  timeMs(): number | undefined {
    this.fixed64();
    return (this.lo | this.hi) === 0 ? undefined : nanosToMs(this.lo, this.hi);
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.limit) throw this.fail('truncated 64-bit value');
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and checks that the content fits in the message being read. */
  length(pendingIndex = -1): number {
    this.varint();
    const remaining = this.limit - this.pos;
    if (this.hi !== 0 || this.lo > remaining) {
      const length = this.hi === 0 ? String(this.lo) : String(BigInt(this.hi) * 4294967296n + BigInt(this.lo));
      throw this.fail(`length ${length} runs past the end (${remaining} bytes left)`, pendingIndex);
    }
    return this.lo;
  }

  /**
   * A string; invalid UTF-8 becomes U+FFFD. Short strings (attribute keys and most values, metric
   * names) come from a cache keyed by their bytes, which outlives the request: a request repeats
   * them, and so do the next ones. The same string instances also make the attribute objects'
   * property stores cheaper.
   */
  string(): string {
    const length = this.length();
    if (length === 0) return '';
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length > STRING_CACHE_MAX_BYTES) return this.text.toString('utf8', start, end);
    const bytes = this.bytes;
    let hash = length;
    let i = start;
    for (const view = this.view; i + 4 <= end; i += 4) hash = Math.imul(hash ^ view.getInt32(i, true), 0x9e3779b1);
    for (; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & (STRING_CACHE_SLOTS - 1);
    const cacheBytes = this.cacheBytes;
    const base = slot * STRING_CACHE_MAX_BYTES;
    if (this.cacheLengths[slot] === length) {
      let same = 0;
      while (same < length && cacheBytes[base + same] === bytes[start + same]) same++;
      if (same === length) return this.cacheStrings[slot]!;
    }
    const text = this.text.toString('utf8', start, end);
    for (let k = 0; k < length; k++) cacheBytes[base + k] = bytes[start + k]!;
    this.cacheLengths[slot] = length;
    this.cacheStrings[slot] = text;
    return text;
  }

  /** A bytes field, copied out of the request. */
  bytesCopy(): Uint8Array {
    const length = this.length();
    const start = this.pos;
    this.pos = start + length;
    // A copy (a Buffer's slice would share the request's memory), and a plain Uint8Array.
    return new Uint8Array(this.bytes.subarray(start, start + length));
  }

  /** A trace or span id as lower-case hex; undefined when empty. */
  hexId(expectedBytes: number): string | undefined {
    const length = this.length();
    if (length === 0) return undefined;
    if (length !== expectedBytes) throw this.fail(`${length} bytes, expected ${expectedBytes}`);
    const bytes = this.bytes;
    let hex = '';
    for (let i = this.pos, end = this.pos + length; i < end; i++) hex += HEX[bytes[i]!]!;
    this.pos += length;
    return hex;
  }

  /**
   * Starts reading a nested message of the field just tagged; returns the enclosing message's limit,
   * to give back to `leave`.
   */
  enter(kind: number, index: number): number {
    const length = this.length(index);
    if (this.depth === MAX_DEPTH) throw this.fail(`nesting depth exceeds ${MAX_DEPTH}`, index);
    const depth = ++this.depth;
    this.kinds[depth] = kind;
    this.indices[depth] = index;
    this.fields[depth] = 0;
    const outer = this.limit;
    this.limit = this.pos + length;
    return outer;
  }

  leave(outerLimit: number): void {
    this.depth--;
    this.limit = outerLimit;
  }

  /** Skips a field not read by the caller: unknown ones by wire type; known ones after checking it. */
  skip(tag: number): void {
    const wireType = tag & 7;
    const known = FIELDS[this.kinds[this.depth]!]![tag >>> 3];
    if (known !== undefined && !known.wireTypes.includes(wireType)) {
      const expected = known.wireTypes.map((t) => WIRE_TYPE_NAMES[t]).join(' or ');
      throw this.fail(`wire type ${WIRE_TYPE_NAMES[wireType]} where ${expected} is expected`);
    }
    this.skipValue(wireType, tag >>> 3);
  }

  skipValue(wireType: number, field: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case I64:
        if (this.pos + 8 > this.limit) throw this.fail('truncated 64-bit value');
        this.pos += 8;
        return;
      case LEN: {
        const length = this.length();
        this.pos += length;
        return;
      }
      case I32:
        if (this.pos + 4 > this.limit) throw this.fail('truncated 32-bit value');
        this.pos += 4;
        return;
      case SGROUP:
        this.skipGroup(field);
        return;
      case EGROUP:
        throw this.fail('end-group without a start-group');
      default:
        throw this.fail(`invalid wire type ${wireType}`);
    }
  }

  /** Skips a (deprecated) group up to its end-group, nested groups included, without recursion. */
  skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      if (this.depth + open.length > MAX_DEPTH) throw this.fail(`nesting depth exceeds ${MAX_DEPTH}`);
      if (this.pos >= this.limit) throw this.fail('group without an end-group');
      this.varint();
      const tag = this.lo;
      const wireType = tag & 7;
      const inner = tag >>> 3;
      if (inner === 0) throw this.fail('invalid field number 0');
      if (wireType === SGROUP) {
        open.push(inner);
      } else if (wireType === EGROUP) {
        if (open.pop() !== inner) throw this.fail(`end-group of field ${inner} inside a group of field ${open.at(-1) ?? field}`);
      } else {
        this.skipValue(wireType, inner);
      }
    }
  }

  /** Reads a packed or single fixed64 element into `out`. */
  fixed64List(wireType: number, out: number[]): void {
    if (wireType === I64) {
      out.push(this.fixed64Number());
      return;
    }
    const length = this.length();
    if (length % 8 !== 0) throw this.fail(`packed length ${length} is not a multiple of 8`);
    const view = this.view;
    for (let pos = this.pos, end = this.pos + length; pos < end; pos += 8) {
      out.push(view.getUint32(pos + 4, true) * TWO_POW_32 + view.getUint32(pos, true));
    }
    this.pos += length;
  }

  /** Reads a packed or single double element into `out`. */
  doubleList(wireType: number, out: number[]): void {
    if (wireType === I64) {
      out.push(this.double());
      return;
    }
    const length = this.length();
    if (length % 8 !== 0) throw this.fail(`packed length ${length} is not a multiple of 8`);
    const view = this.view;
    for (let pos = this.pos, end = this.pos + length; pos < end; pos += 8) out.push(view.getFloat64(pos, true));
    this.pos += length;
  }

  /** Reads a packed or single uint64 varint element into `out`. */
  uint64List(wireType: number, out: number[]): void {
    if (wireType === VARINT) {
      out.push(this.uint64());
      return;
    }
    const length = this.length();
    const outer = this.limit;
    this.limit = this.pos + length;
    while (this.pos < this.limit) out.push(this.uint64());
    this.limit = outer;
  }
}

let pooledReader: ProtobufReader | undefined;

/**
 * Decodes an OTLP `ExportMetricsServiceRequest` in protobuf into the bridge's data model.
 *
 * Unknown fields are skipped. Well-formed data that the model cannot hold is left out and reported
 * through `options.onDrop` (see {@link OtlpDropReason}). Malformed bytes throw an
 * {@link OtlpDecodeError} naming the field path.
 */
export function decodeExportMetricsServiceRequest(bytes: Uint8Array, options?: OtlpDecodeOptions): ResourceMetrics[] {
  // A reader per call in progress: the pooled one, or a new one if a callback decodes again.
  const reader = pooledReader ?? new ProtobufReader();
  pooledReader = undefined;
  reader.start(bytes, options);
  try {
    return decodeRequest(reader);
  } finally {
    reader.release();
    pooledReader = reader;
  }
}

function decodeRequest(r: ProtobufReader): ResourceMetrics[] {
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === tagOf(1, LEN)) {
      const outer = r.enter(RESOURCE_METRICS, resourceMetrics.length);
      resourceMetrics.push(decodeResourceMetrics(r));
      r.leave(outer);
    } else {
      r.skip(tag);
    }
  }
  return resourceMetrics;
}

function decodeResourceMetrics(r: ProtobufReader): ResourceMetrics {
  const attributes: Record<string, AttributeValue> = {};
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN): {
        // A message field given twice is merged, as protobuf has it: the attributes add up.
        const outer = r.enter(RESOURCE, -1);
        decodeResourceInto(r, attributes);
        r.leave(outer);
        break;
      }
      case tagOf(2, LEN): {
        const outer = r.enter(SCOPE_METRICS, scopeMetrics.length);
        scopeMetrics.push(decodeScopeMetrics(r));
        r.leave(outer);
        break;
      }
      case tagOf(3, LEN):
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  return { resource: { attributes, schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
}

function decodeResourceInto(r: ProtobufReader, attributes: Record<string, AttributeValue>): void {
  let count = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === tagOf(1, LEN)) decodeKeyValueInto(r, attributes, count++);
    else r.skip(tag);
  }
}

function decodeScopeMetrics(r: ProtobufReader): ScopeMetrics {
  let name = '';
  let version = '';
  let attributes: Record<string, AttributeValue> | undefined;
  let schemaUrl = '';
  const metrics: OtelMetric[] = [];
  let metricCount = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN): {
        // InstrumentationScope, read here to keep its three fields without an intermediate object.
        const outer = r.enter(SCOPE, -1);
        let attributeCount = 0;
        while (r.pos < r.limit) {
          const scopeTag = r.tag();
          switch (scopeTag) {
            case tagOf(1, LEN):
              name = r.string();
              break;
            case tagOf(2, LEN):
              version = r.string();
              break;
            case tagOf(3, LEN):
              attributes ??= {};
              decodeKeyValueInto(r, attributes, attributeCount++);
              break;
            default:
              r.skip(scopeTag);
          }
        }
        r.leave(outer);
        break;
      }
      case tagOf(2, LEN): {
        const outer = r.enter(METRIC, metricCount++);
        const metric = decodeMetric(r);
        r.leave(outer);
        if (metric !== undefined) metrics.push(metric);
        break;
      }
      case tagOf(3, LEN):
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  return {
    scope: {
      name,
      version: version === '' ? undefined : version,
      schemaUrl: schemaUrl === '' ? undefined : schemaUrl,
      attributes,
    },
    metrics,
  };
}

function decodeMetric(r: ProtobufReader): OtelMetric | undefined {
  let name = '';
  let description = '';
  let unit = '';
  let kind = 0;
  let points: NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[] = [];
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
        r.skip(tag);
    }
  }
  if (kind === 0) {
    r.drop('metric_without_data', 0);
    return undefined;
  }
  if (kind === 5) return { name, description, unit, kind: 'gauge', points: points as NumberPoint[] };
  if (kind === 11) return { name, description, unit, kind: 'summary', points: points as SummaryPoint[] };
  const temporalityName: Temporality | undefined = temporality === 2 ? 'cumulative' : temporality === 1 ? 'delta' : undefined;
  if (temporalityName === undefined) {
    r.drop('invalid_temporality', points.length);
    return undefined;
  }
  if (kind === 7) return { name, description, unit, kind: 'sum', monotonic, temporality: temporalityName, points: points as NumberPoint[] };
  if (kind === 9) return { name, description, unit, kind: 'histogram', temporality: temporalityName, points: points as HistogramPoint[] };
  return { name, description, unit, kind: 'exponentialHistogram', temporality: temporalityName, points: points as ExponentialHistogramPoint[] };
}

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
function decodeData(r: ProtobufReader, field: number): NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[] {
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
        if (field === 5 || field === 11) r.skip(tag);
        else r.temporality = r.int32();
        break;
      case tagOf(3, VARINT):
        if (field === 7) r.monotonic = r.bool();
        else r.skip(tag);
        break;
      default:
        r.skip(tag);
    }
  }
  return points as NumberPoint[] | HistogramPoint[] | ExponentialHistogramPoint[] | SummaryPoint[];
}

function decodeNumberPoint(r: ProtobufReader): NumberPoint {
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
        r.skip(tag);
    }
  }
  return { attributes, startTimeMs, timeMs, value, exemplars, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

function decodeHistogramPoint(r: ProtobufReader): HistogramPoint | undefined {
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
        r.skip(tag);
    }
  }
  if (counts.length === 0) {
    // No buckets (allowed by OTLP): every observation is in the +Inf bucket.
    counts.push(count);
    bounds.length = 0;
  } else if (counts.length !== bounds.length + 1) {
    r.drop('invalid_histogram_buckets', 1);
    return undefined;
  }
  return { attributes, startTimeMs, timeMs, count, sum, bounds, counts, exemplars, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

const NO_BUCKETS: ExponentialBuckets = Object.freeze({ offset: 0, counts: Object.freeze([]) });

function decodeExponentialPoint(r: ProtobufReader): ExponentialHistogramPoint {
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
        r.skip(tag);
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
        r.skip(tag);
    }
  }
  r.leave(outer);
  return { offset, counts };
}

function decodeSummaryPoint(r: ProtobufReader): SummaryPoint {
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
          else r.skip(quantileTag);
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
        r.skip(tag);
    }
  }
  return { attributes, startTimeMs, timeMs, count, sum, quantiles, exemplars: undefined, noRecordedValue: (flags & FLAG_NO_RECORDED_VALUE) !== 0 };
}

function decodeExemplar(r: ProtobufReader, index: number): Exemplar {
  const outer = r.enter(EXEMPLAR, index);
  let value = 0;
  let timeMs: number | undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let attributes: Record<string, AttributeValue> | undefined;
  let attributeCount = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(2, I64):
        timeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        value = r.double();
        break;
      case tagOf(6, I64):
        value = r.sfixed64Number();
        break;
      case tagOf(4, LEN):
        spanId = r.hexId(8);
        break;
      case tagOf(5, LEN):
        traceId = r.hexId(16);
        break;
      case tagOf(7, LEN):
        attributes ??= {};
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  return { value, timeMs, traceId, spanId, attributes };
}

/** Reads a KeyValue (its tag just read) into `target`; a later duplicate key wins. */
function decodeKeyValueInto(r: ProtobufReader, target: Record<string, AttributeValue>, index: number): void {
  const outer = r.enter(KEY_VALUE, index);
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        key = r.string();
        break;
      case tagOf(2, LEN): {
        const valueOuter = r.enter(ANY_VALUE, -1);
        value = decodeAnyValue(r);
        r.leave(valueOuter);
        break;
      }
      case tagOf(3, VARINT):
        r.varint();
        r.drop('profiling_field_ignored', 0);
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  setAttribute(target, key, value);
}

/** An AnyValue's content (its message entered): null when it holds none. */
function decodeAnyValue(r: ProtobufReader): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        value = r.string();
        break;
      case tagOf(2, VARINT):
        value = r.bool();
        break;
      case tagOf(3, VARINT):
        value = r.int64();
        break;
      case tagOf(4, I64):
        value = r.double();
        break;
      case tagOf(5, LEN): {
        const outer = r.enter(ARRAY_VALUE, -1);
        const values: AttributeValue[] = [];
        while (r.pos < r.limit) {
          const arrayTag = r.tag();
          if (arrayTag === tagOf(1, LEN)) {
            const valueOuter = r.enter(ANY_VALUE, values.length);
            values.push(decodeAnyValue(r));
            r.leave(valueOuter);
          } else {
            r.skip(arrayTag);
          }
        }
        r.leave(outer);
        value = values;
        break;
      }
      case tagOf(6, LEN): {
        const outer = r.enter(KEY_VALUE_LIST, -1);
        const map: Record<string, AttributeValue> = {};
        let count = 0;
        while (r.pos < r.limit) {
          const listTag = r.tag();
          if (listTag === tagOf(1, LEN)) decodeKeyValueInto(r, map, count++);
          else r.skip(listTag);
        }
        r.leave(outer);
        value = map;
        break;
      }
      case tagOf(7, LEN):
        value = r.bytesCopy();
        break;
      case tagOf(8, VARINT):
        r.varint();
        value = null;
        r.drop('profiling_field_ignored', 0);
        break;
      default:
        r.skip(tag);
    }
  }
  return value;
}
