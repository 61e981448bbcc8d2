/**
 * A tiny protobuf writer for tests: each function returns the bytes of one encoded field, and
 * `message` wraps encoded fields into a length-delimited field. Test-only: nothing here is fast.
 */

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A varint of a uint64; negative values are written as their 64-bit two's complement (10 bytes). */
export function varintBytes(value: number | bigint): Uint8Array {
  let n = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(n & 0x7fn);
    n >>= 7n;
    bytes.push(n === 0n ? low : low | 0x80);
  } while (n !== 0n);
  return Uint8Array.from(bytes);
}

export function tag(field: number, wireType: number): Uint8Array {
  return varintBytes((field << 3) | wireType);
}

function fixed64Bytes(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
  return out;
}

function doubleBytes(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value, true);
  return out;
}

export function varint(field: number, value: number | bigint): Uint8Array {
  return concat(tag(field, VARINT), varintBytes(value));
}

export function sint32(field: number, value: number): Uint8Array {
  return varint(field, ((value << 1) ^ (value >> 31)) >>> 0);
}

export function bool(field: number, value: boolean): Uint8Array {
  return varint(field, value ? 1 : 0);
}

/** fixed64 and sfixed64 (a negative value is written as its two's complement). */
export function fixed64(field: number, value: number | bigint): Uint8Array {
  return concat(tag(field, I64), fixed64Bytes(value));
}

export function double(field: number, value: number): Uint8Array {
  return concat(tag(field, I64), doubleBytes(value));
}

export function fixed32(field: number, value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return concat(tag(field, I32), out);
}

export function bytes(field: number, value: Uint8Array): Uint8Array {
  return concat(tag(field, LEN), varintBytes(value.length), value);
}

export function string(field: number, value: string): Uint8Array {
  return bytes(field, new TextEncoder().encode(value));
}

/** A length-delimited field holding the given encoded fields. */
export function message(field: number, ...fields: readonly Uint8Array[]): Uint8Array {
  return bytes(field, concat(...fields));
}

export function packedFixed64(field: number, values: readonly (number | bigint)[]): Uint8Array {
  return bytes(field, concat(...values.map(fixed64Bytes)));
}

export function packedDouble(field: number, values: readonly number[]): Uint8Array {
  return bytes(field, concat(...values.map(doubleBytes)));
}

export function packedVarint(field: number, values: readonly (number | bigint)[]): Uint8Array {
  return bytes(field, concat(...values.map(varintBytes)));
}

/** A (deprecated) group: start-group, the fields, end-group. */
export function group(field: number, ...fields: readonly Uint8Array[]): Uint8Array {
  return concat(tag(field, SGROUP), ...fields, tag(field, EGROUP));
}
