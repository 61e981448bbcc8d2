import { formatFieldPath } from '../formatFieldPath.ts';
import { OtlpDecodeError } from '../OtlpDecodeError.ts';
import type { OtlpDecodeOptions, OtlpDropReason } from '../OtlpDecodeOptions.ts';
import { fieldName, REQUEST } from './protobufFields.ts';
import { I64, VARINT } from './wireTypes.ts';

/**
 * The protobuf wire reader of the OTLP decoder, written for the receiver's hot path: varints,
 * fixed-width numbers, length-delimited fields and nested messages read straight from the bytes,
 * with one reused state (pooled by the decoder) and no intermediate objects. Walkers (one per
 * message level) drive it; `skipField` skips what they do not read.
 */

/** Messages nested deeper than this (counted from a resource_metrics, which is 1) are refused. */
export const MAX_DEPTH = 32;

const TWO_POW_32 = 4294967296;
/** The string cache: 4096 slots of strings up to 64 bytes (256 KiB of bytes), per pooled reader. */
const STRING_CACHE_SLOTS = 4096;
const STRING_CACHE_MAX_BYTES = 64;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
export class ProtobufReader {
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
    const names: string[] = [];
    const indices: number[] = [];
    for (let d = 1; d <= this.depth; d++) {
      names.push(fieldName(this.kinds[d - 1]!, this.fields[d - 1]!));
      indices.push(this.indices[d]!);
    }
    const field = this.fields[this.depth]!;
    if (withField && field !== 0) {
      names.push(fieldName(this.kinds[this.depth]!, field));
      indices.push(pendingIndex);
    }
    return formatFieldPath(names, indices);
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
