import { formatFieldPath } from '../formatFieldPath.ts';
import { OtlpDecodeError } from '../OtlpDecodeError.ts';
import type { OtlpDecodeOptions, OtlpDropReason } from '../OtlpDecodeOptions.ts';

/** JSON nesting (objects and arrays, the top-level object is 1) deeper than this is refused. */
const MAX_DEPTH = 64;

const UNSIGNED_DECIMAL = /^[0-9]+$/;
const SIGNED_DECIMAL = /^-?[0-9]+$/;
const DECIMAL_NUMBER = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_ID = /^[0-9a-fA-F]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]*={0,2}|[A-Za-z0-9_-]*={0,2})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error message shows it: its JSON type, and short scalars themselves. */
export function describe(value: unknown): string {
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

/**
 * The proto3 JSON reader of the OTLP/JSON decoder: the walk's state (the path of the objects being
 * read, for errors and drops, and their depth) and the reading of each JSON field as its proto3
 * type, with the error that names the field when it is not one.
 */
export class JsonWalker {
  readonly names: string[] = [];
  readonly indices: number[] = [];
  depth = 1;
  readonly onDrop: OtlpDecodeOptions['onDrop'];

  constructor(options: OtlpDecodeOptions | undefined) {
    this.onDrop = options?.onDrop;
  }

  /** The path of the object being read and, given `field` (at `index` of its array, or -1), of that field in it. */
  path(field?: string, index = -1): string {
    if (field === undefined) return formatFieldPath(this.names, this.indices);
    return formatFieldPath([...this.names, field], [...this.indices, index]);
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
