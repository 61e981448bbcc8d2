import { crc32 } from 'node:zlib';

/**
 * A state snapshot file: a 24-byte header, then the body.
 *
 * | bytes | what |
 * | --- | --- |
 * | 0–7 | magic, `OPBSTATE` |
 * | 8–11 | format version, unsigned big-endian (`SNAPSHOT_VERSION`) |
 * | 12–19 | body length in bytes, unsigned big-endian |
 * | 20–23 | CRC-32 of the body (zlib's), unsigned big-endian |
 *
 * The body is UTF-8 JSON lines, one array each, in this order: `["meta", {…}]`; then, each before
 * the first line that refers to it, the tables (`L` a label layout, `W` delta windows, `T` a write
 * stamp, `B` histogram bounds); each family (`F`) followed by its series (an array starting with a
 * number: 0 a series, 1 a delta series with its window fingerprints, 2 a `target_info` series);
 * `["end", families, series]` last. Numbers JSON cannot hold (NaN, ±Infinity, -0) are strings.
 */
export const SNAPSHOT_MAGIC = 'OPBSTATE';
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 24;

/** Why a snapshot could not be read: damaged (or not a snapshot at all), or written by another format version. */
export type SnapshotProblem = 'corrupt' | 'unsupported_version';

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  readonly problem: SnapshotProblem;

  constructor(problem: SnapshotProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** The header for a body of `length` bytes with CRC-32 `crc`. */
export function buildSnapshotHeader(length: number, crc: number): Buffer {
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  header.write(SNAPSHOT_MAGIC, 0, 'latin1');
  header.writeUInt32BE(SNAPSHOT_VERSION, 8);
  header.writeBigUInt64BE(BigInt(length), 12);
  header.writeUInt32BE(crc >>> 0, 20);
  return header;
}

/** A running CRC-32 over the body's chunks. */
export function updateCrc(crc: number, chunk: Uint8Array): number {
  return crc32(chunk, crc);
}

/** The header's fields; throws a SnapshotError when the file is not a whole snapshot of this version. */
export function readSnapshotHeader(file: Buffer): { readonly length: number; readonly crc: number } {
  if (file.length === 0) throw new SnapshotError('corrupt', 'the file is empty');
  if (file.length < SNAPSHOT_HEADER_BYTES) throw new SnapshotError('corrupt', `the file is truncated (${file.length} bytes, shorter than the ${SNAPSHOT_HEADER_BYTES}-byte header)`);
  if (file.toString('latin1', 0, 8) !== SNAPSHOT_MAGIC) throw new SnapshotError('corrupt', `the file does not start with ${SNAPSHOT_MAGIC}: not a state snapshot`);
  const version = file.readUInt32BE(8);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError('unsupported_version', `format version ${version}, this otel-prom-bridge reads version ${SNAPSHOT_VERSION} only`);
  }
  const length = file.readBigUInt64BE(12);
  const actual = BigInt(file.length - SNAPSHOT_HEADER_BYTES);
  if (length !== actual) throw new SnapshotError('corrupt', `the file is truncated or padded: the header says ${length} body bytes, there are ${actual}`);
  return { length: Number(length), crc: file.readUInt32BE(20) };
}
