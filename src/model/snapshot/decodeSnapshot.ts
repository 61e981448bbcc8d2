import { performance } from 'node:perf_hooks';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { buildLabelLayout, type LabelLayout, type LabelLayoutDescription } from '../../translate/labelLayout.ts';
import type { LabelPairs } from '../../translate/labelPairs.ts';
import type { DeltaWindows } from '../deltaWindows.ts';
import type { MetricType, SeriesData } from '../family.ts';
import type { Exemplar } from '../../otelData/otelData.ts';
import type { RestoredFamily } from '../restoredFamily.ts';
import { buildNumberData } from '../seriesData.ts';
import { PushedDeltaSeries, StoredSeries, TargetInfoSeries } from '../storedSeries.ts';
import type { WriteStamp } from '../writeStamp.ts';
import { readSnapshotHeader, SNAPSHOT_HEADER_BYTES, SnapshotError, updateCrc } from './snapshotFormat.ts';

export interface DecodeSnapshotOptions {
  /** Work done between two turns of the event loop, at most (about), in ms. @default 10 */
  readonly sliceMs?: number;
}

/** What a snapshot file held: its meta line and its families, series recreated as they were stored. */
export interface DecodedSnapshot {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly families: readonly RestoredFamily[];
  readonly series: number;
}

/** Bytes of the body turned into text at a time. */
const TEXT_SLICE_BYTES = 1 << 20;
/** Bytes checksummed at a time. */
const CRC_SLICE_BYTES = 8 << 20;

const METRIC_TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary'];

/**
 * Reads a whole snapshot file (`snapshotFormat.ts`): checks its header, length and checksum, then
 * recreates its families and series, turning the event loop between slices of work. Throws a
 * SnapshotError saying what is wrong (`corrupt`, `unsupported_version`); never anything else.
 * The series' stamps carry generation 0: `SeriesStore.restore` gives them its own.
 */
export async function decodeSnapshot(file: Buffer, { sliceMs = 10 }: DecodeSnapshotOptions = {}): Promise<DecodedSnapshot> {
  const { crc } = readSnapshotHeader(file);
  let actual = 0;
  for (let at = SNAPSHOT_HEADER_BYTES; at < file.length; at += CRC_SLICE_BYTES) {
    actual = updateCrc(actual, file.subarray(at, Math.min(file.length, at + CRC_SLICE_BYTES)));
    if (at + CRC_SLICE_BYTES < file.length) await turnEventLoop();
  }
  if (actual >>> 0 !== crc) throw new SnapshotError('corrupt', `the checksum does not match (CRC-32 ${hex(actual)}, the header says ${hex(crc)}): the file was damaged`);
  const reader = new SnapshotReader();
  let lineNumber = 0;
  let sliceStart = performance.now();
  try {
    for (let at = SNAPSHOT_HEADER_BYTES; at < file.length; ) {
      let end = Math.min(file.length, at + TEXT_SLICE_BYTES);
      if (end < file.length) {
        const newline = file.indexOf(0x0a, end);
        end = newline < 0 ? file.length : newline + 1;
      }
      const lines = file.toString('utf8', at, end).split('\n');
      at = end;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '' && i === lines.length - 1) continue;
        lineNumber++;
        reader.read(JSON.parse(line) as unknown);
        if ((lineNumber & 63) === 0 && performance.now() - sliceStart >= sliceMs) {
          await turnEventLoop();
          sliceStart = performance.now();
        }
      }
    }
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(error.problem, `line ${lineNumber} of the body: ${error.message}`);
    throw new SnapshotError('corrupt', `line ${lineNumber} of the body: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.finish();
}

/** The body's lines, one at a time, in order. */
class SnapshotReader {
  #meta: Record<string, unknown> | undefined;
  readonly #families: { name: string; type: MetricType; help: string; helpIsFallback: boolean; unit: string; series: StoredSeries[] }[] = [];
  readonly #layouts: LabelLayout[] = [];
  readonly #windows: DeltaWindows[] = [];
  readonly #stamps: WriteStamp[] = [];
  readonly #bounds: (readonly number[])[] = [];
  #series = 0;
  #end: readonly [number, number] | undefined;

  read(line: unknown): void {
    if (!Array.isArray(line) || line.length === 0) throw corrupt('not a JSON array');
    if (this.#end !== undefined) throw corrupt('a line after the end line');
    const tag: unknown = line[0];
    if (this.#meta === undefined) {
      if (tag !== 'meta' || typeof line[1] !== 'object' || line[1] === null) throw corrupt('the first line is not the meta line');
      this.#meta = line[1] as Record<string, unknown>;
      return;
    }
    if (typeof tag === 'number') return this.#readSeries(line);
    switch (tag) {
      case 'F':
        this.#families.push({ name: text(line[1]), type: metricType(line[2]), help: text(line[3]), helpIsFallback: line[5] === true, unit: text(line[4]), series: [] });
        return;
      case 'L':
        return this.#define(this.#layouts, line[1], buildLabelLayout(layoutDescription(line[2])));
      case 'W':
        return this.#define(this.#windows, line[1], { bounds: numbers(line[2]), horizonMs: num(line[3]), forgotten: whole(line[4], -1) });
      case 'T':
        return this.#define(this.#stamps, line[1], {
          generation: 0,
          receivedAtMs: num(line[2]),
          timeMs: num(line[3]),
          startTimeMs: line[4] === null ? undefined : num(line[4]),
          temporality: line[5] === 'd' ? 'delta' : line[5] === 'c' ? 'cumulative' : fail('a temporality that is neither d nor c'),
          deltaWindows: line[6] === -1 ? undefined : ref(this.#windows, line[6], 'delta windows'),
        });
      case 'B':
        return this.#define(this.#bounds, line[1], numbers(line[2]));
      case 'end':
        this.#end = [whole(line[1], 0), whole(line[2], 0)];
        return;
      default:
        throw corrupt(`an unknown line ${JSON.stringify(tag)}`);
    }
  }

  finish(): DecodedSnapshot {
    if (this.#meta === undefined) throw new SnapshotError('corrupt', 'the body is empty');
    if (this.#end === undefined) throw new SnapshotError('corrupt', 'the end line is missing');
    if (this.#end[0] !== this.#families.length || this.#end[1] !== this.#series) {
      throw new SnapshotError('corrupt', `the end line counts ${this.#end[0]} families and ${this.#end[1]} series, the body holds ${this.#families.length} and ${this.#series}`);
    }
    return { meta: this.#meta, families: this.#families, series: this.#series };
  }

  #define<T>(table: T[], id: unknown, value: T): void {
    if (id !== table.length) throw corrupt(`table entry ${JSON.stringify(id)} out of sequence (next is ${table.length})`);
    table.push(value);
  }

  #readSeries(line: unknown[]): void {
    const family = this.#families.at(-1);
    if (family === undefined) throw corrupt('a series before any family');
    const labelText = text(line[1]);
    const layout = ref(this.#layouts, line[2], 'label layout');
    const stamp = ref(this.#stamps, line[3], 'write stamp');
    let series: StoredSeries;
    switch (line[0]) {
      case 0:
        series = new StoredSeries(labelText, layout, this.#data(line[4]), stamp);
        break;
      case 1: {
        const fingerprints = line[5];
        if (!Array.isArray(fingerprints) || fingerprints.length === 0 || !fingerprints.every((f) => Number.isInteger(f))) throw corrupt('window fingerprints that are not whole numbers');
        if (stamp.deltaWindows === undefined || stamp.deltaWindows.bounds.length !== 2 * fingerprints.length) throw corrupt('a delta series whose fingerprints do not match its windows');
        const pushed = new PushedDeltaSeries(labelText, layout, this.#data(line[4]), stamp, fingerprints[0] as number);
        pushed.windowFingerprints = fingerprints as number[];
        series = pushed;
        break;
      }
      case 2:
        series = new TargetInfoSeries(labelText, layout, stamp, text(line[4]));
        break;
      default:
        throw corrupt(`an unknown series kind ${JSON.stringify(line[0])}`);
    }
    family.series.push(series);
    this.#series++;
  }

  #data(value: unknown): SeriesData {
    if (!Array.isArray(value)) throw corrupt('series data that is not an array');
    switch (value[0]) {
      case 0:
        return buildNumberData(num(value[1]), value.length > 2 ? exemplar(value[2]) : undefined);
      case 1: {
        const bounds = ref(this.#bounds, value[1], 'histogram bounds');
        const counts = numbers(value[2]);
        if (counts.length !== bounds.length + 1) throw corrupt('a histogram whose counts do not match its bounds');
        const exemplars = value[5] === null ? undefined : list(value[5]).map((e) => (e === null ? undefined : exemplar(e)));
        return { kind: 'histogram', bounds, counts, count: num(value[3]), sum: value[4] === null ? undefined : num(value[4]), exemplars };
      }
      case 2:
        return {
          kind: 'exponentialHistogram',
          scale: whole(value[1], -Infinity),
          zeroCount: num(value[2]),
          zeroThreshold: num(value[3]),
          positive: { offset: whole(value[4], -Infinity), counts: numbers(value[5]) },
          negative: { offset: whole(value[6], -Infinity), counts: numbers(value[7]) },
          count: num(value[8]),
          sum: value[9] === null ? undefined : num(value[9]),
          exemplars: value[10] === null ? undefined : list(value[10]).map(exemplar),
        };
      case 3: {
        const flat = numbers(value[1]);
        const quantiles: { quantile: number; value: number }[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) quantiles.push({ quantile: flat[i]!, value: flat[i + 1]! });
        return { kind: 'summary', quantiles, count: num(value[2]), sum: num(value[3]) };
      }
      default:
        throw corrupt(`an unknown data kind ${JSON.stringify(value[0])}`);
    }
  }
}

function exemplar(value: unknown): Exemplar {
  const [v, timeMs, traceId, spanId, attributes] = list(value);
  if (attributes !== null && (typeof attributes !== 'object' || Array.isArray(attributes))) throw corrupt('exemplar attributes that are not an object');
  return {
    value: num(v),
    ...(timeMs === null ? {} : { timeMs: num(timeMs) }),
    ...(traceId === null ? {} : { traceId: text(traceId) }),
    ...(spanId === null ? {} : { spanId: text(spanId) }),
    ...(attributes === null ? {} : { attributes: attributes as Record<string, unknown> }),
  };
}

function layoutDescription(value: unknown): LabelLayoutDescription {
  const description = value as { kind?: unknown; labels?: unknown; pairs?: unknown } | null;
  if (typeof description !== 'object' || description === null) throw corrupt('a label layout that is not an object');
  switch (description.kind) {
    case 'planned':
      return { kind: 'planned', labels: list(description.labels).map((label) => { const [name, fixed] = list(label); return [text(name), fixed === null ? null : text(fixed)] as const; }) };
    case 'fixed':
      return { kind: 'fixed', pairs: list(description.pairs).map((pair) => { const [name, v] = list(pair); return [text(name), text(v)] as const; }) as LabelPairs };
    case 'parsed':
      return { kind: 'parsed' };
    default:
      throw corrupt('a label layout of an unknown kind');
  }
}

function ref<T>(table: readonly T[], id: unknown, what: string): T {
  const value = typeof id === 'number' ? table[id] : undefined;
  if (value === undefined) throw corrupt(`a reference to ${what} ${JSON.stringify(id)}, not defined before`);
  return value;
}

/** A number as `encodeNumber` wrote it. */
function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity' || value === '-0') return Number(value);
  throw corrupt(`${JSON.stringify(value)} where a number belongs`);
}

function numbers(value: unknown): number[] {
  const values = list(value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = num(values[i]);
  return out;
}

function whole(value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw corrupt(`${JSON.stringify(value)} where a whole number belongs`);
  return value;
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw corrupt(`${JSON.stringify(value)} where text belongs`);
  return value;
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw corrupt(`${JSON.stringify(value)} where a list belongs`);
  return value;
}

function metricType(value: unknown): MetricType {
  if (typeof value !== 'string' || !METRIC_TYPES.includes(value)) throw corrupt(`an unknown metric type ${JSON.stringify(value)}`);
  return value as MetricType;
}

function fail(message: string): never {
  throw corrupt(message);
}

function corrupt(message: string): SnapshotError {
  return new SnapshotError('corrupt', message);
}

function hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
