import type { AttributeValue } from '../../src/otelData/otelData.ts';
import type { DropReporter } from '../../src/otlp/decode/metricRules.ts';

/**
 * What both library conversions (`bufbuildToOtelData`, `protobufjsToOtelData`) need besides the
 * shared rules of `src/otlp/decode/metricRules.ts`: the same time and id conversions as ours, so
 * that their output equals ours exactly (the comparison checks it).
 */

/** Nanoseconds since the epoch, as two unsigned 32-bit halves, to milliseconds (as ours: at most one rounding each step). */
export function nanosToMs(lo: number, hi: number): number | undefined {
  if ((lo | hi) === 0) return undefined;
  return hi * 4294 + (hi * 967296 + lo) / 1e6;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A trace or span id as lower-case hex; undefined when empty. */
export function hexId(bytes: Uint8Array, expectedBytes: number): string | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes.length !== expectedBytes) throw new Error(`${bytes.length} bytes, expected ${expectedBytes}`);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i]!]!;
  return hex;
}

/** An int64 from its two halves (the high one signed): a number when it is a safe integer, otherwise a bigint. */
export function int64Value(lo: number, hi: number): number | bigint {
  if (hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && lo === 0)) return hi * 4294967296 + lo;
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
}

/** Drops are not counted in the comparison (ours is measured without `onDrop` too). */
export const IGNORE_DROPS: DropReporter = { drop: () => undefined };

export type AttributeRecord = Record<string, AttributeValue>;
