import { performance } from 'node:perf_hooks';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { formatAttributeValue } from '../../translate/attributeValue.ts';
import type { LabelLayout } from '../../translate/labelLayout.ts';
import type { DeltaWindows } from '../deltaWindows.ts';
import type { SeriesData } from '../family.ts';
import type { Attributes, Exemplar } from '../../otelData/otelData.ts';
import { OverflowSeries } from '../overflowSeries.ts';
import type { SnapshotFamily } from '../restoredFamily.ts';
import { PushedDeltaSeries, TargetInfoSeries, type StoredSeries } from '../storedSeries.ts';
import type { WriteStamp } from '../writeStamp.ts';

export interface EncodeSnapshotOptions {
  /** Work done between two turns of the event loop, at most (about), in ms. @default 10 */
  readonly sliceMs?: number;
  /** Size of the chunks handed out, about, in bytes. @default 256 KiB */
  readonly chunkBytes?: number;
}

/** A snapshot being encoded: its body's chunks, and what they held once all are read. */
export interface SnapshotEncoding {
  /** The body (no header), chunk by chunk; the event loop turns between slices of work. */
  readonly chunks: AsyncIterable<Buffer>;
  /** Families and series written so far (all of them once `chunks` is read to its end). */
  readonly counts: { families: number; series: number };
}

/**
 * Encodes the store's families (`SeriesStore.snapshotFamilies()`) as a snapshot body
 * (`snapshotFormat.ts`), with `meta` (plain JSON) on its first line. The store may change between
 * slices: each series is written whole as it is when its slice runs, never half old and half new.
 * Shared objects (label layouts, write stamps, delta windows, histogram bounds) are written once
 * and referred to by number, so that the restored series share them again. A family's HELP is
 * marked when it is the fallback (a description still replaces it after the restore). The overflow
 * series (`OverflowSeries`, `otel_metric_overflow="true"`) are left out: what they remember of the
 * refused series cannot be kept, and restored as a plain series one would hold its family's overflow
 * frozen and count against the limit; it starts again from the next refused point after a restart.
 */
export function encodeSnapshot(families: readonly SnapshotFamily[], meta: Readonly<Record<string, unknown>>, options: EncodeSnapshotOptions = {}): SnapshotEncoding {
  const counts = { families: 0, series: 0 };
  return { chunks: encodeChunks(families, meta, options, counts), counts };
}

async function* encodeChunks(
  families: readonly SnapshotFamily[],
  meta: Readonly<Record<string, unknown>>,
  { sliceMs = 10, chunkBytes = 256 * 1024 }: EncodeSnapshotOptions,
  counts: { families: number; series: number },
): AsyncGenerator<Buffer> {
  const tables = new Tables();
  let text = `${JSON.stringify(['meta', meta])}\n`;
  let sliceStart = performance.now();
  for (const family of families) {
    text += `${JSON.stringify(family.helpIsFallback ? ['F', family.name, family.type, family.help, family.unit, true] : ['F', family.name, family.type, family.help, family.unit])}\n`;
    counts.families++;
    let sinceCheck = 0;
    for (const series of family.series.values()) {
      if (series instanceof OverflowSeries) continue;
      text += tables.lineOf(series);
      counts.series++;
      if (text.length >= chunkBytes) {
        yield Buffer.from(text, 'utf8');
        text = '';
      }
      if (++sinceCheck >= 64) {
        sinceCheck = 0;
        if (performance.now() - sliceStart >= sliceMs) {
          await turnEventLoop();
          sliceStart = performance.now();
        }
      }
    }
  }
  text += `${JSON.stringify(['end', counts.families, counts.series])}\n`;
  yield Buffer.from(text, 'utf8');
}

/** The shared objects written so far, by identity, and their numbers. */
class Tables {
  readonly #layouts = new Map<LabelLayout, number>();
  readonly #stamps = new Map<WriteStamp, number>();
  readonly #windows = new Map<DeltaWindows, number>();
  readonly #bounds = new Map<readonly number[], number>();
  /** Lines of tables to write before the series that first refers to them. */
  #pending = '';

  /** The series' line, after the lines of the tables it refers to that were not written yet. */
  lineOf(series: StoredSeries): string {
    const layout = this.#layoutId(series.layout);
    const stamp = this.#stampId(series.written);
    let line: string;
    if (series instanceof TargetInfoSeries) line = JSON.stringify([2, series.labelText, layout, stamp, series.targetInfoKey]);
    else {
      const data = this.#encodeData(series.data);
      line = series instanceof PushedDeltaSeries ? JSON.stringify([1, series.labelText, layout, stamp, data, series.windowFingerprints]) : JSON.stringify([0, series.labelText, layout, stamp, data]);
    }
    if (this.#pending === '') return `${line}\n`;
    const all = `${this.#pending}${line}\n`;
    this.#pending = '';
    return all;
  }

  #layoutId(layout: LabelLayout): number {
    let id = this.#layouts.get(layout);
    if (id === undefined) {
      id = this.#layouts.size;
      this.#layouts.set(layout, id);
      this.#pending += `${JSON.stringify(['L', id, layout.describe()])}\n`;
    }
    return id;
  }

  #stampId(stamp: WriteStamp): number {
    let id = this.#stamps.get(stamp);
    if (id === undefined) {
      const windows = stamp.deltaWindows === undefined ? -1 : this.#windowsId(stamp.deltaWindows);
      id = this.#stamps.size;
      this.#stamps.set(stamp, id);
      const temporality = stamp.temporality === 'delta' ? 'd' : 'c';
      this.#pending += `${JSON.stringify(['T', id, encodeNumber(stamp.receivedAtMs), encodeNumber(stamp.timeMs), stamp.startTimeMs === undefined ? null : encodeNumber(stamp.startTimeMs), temporality, windows])}\n`;
    }
    return id;
  }

  #windowsId(windows: DeltaWindows): number {
    let id = this.#windows.get(windows);
    if (id === undefined) {
      id = this.#windows.size;
      this.#windows.set(windows, id);
      this.#pending += `${JSON.stringify(['W', id, encodeNumbers(windows.bounds), encodeNumber(windows.horizonMs), windows.forgotten])}\n`;
    }
    return id;
  }

  #boundsId(bounds: readonly number[]): number {
    let id = this.#bounds.get(bounds);
    if (id === undefined) {
      id = this.#bounds.size;
      this.#bounds.set(bounds, id);
      this.#pending += `${JSON.stringify(['B', id, encodeNumbers(bounds)])}\n`;
    }
    return id;
  }

  #encodeData(data: SeriesData): unknown[] {
    switch (data.kind) {
      case 'number':
        return data.exemplar === undefined ? [0, encodeNumber(data.value)] : [0, encodeNumber(data.value), encodeExemplar(data.exemplar)];
      case 'histogram':
        return [
          1,
          this.#boundsId(data.bounds),
          encodeNumbers(data.counts),
          encodeNumber(data.count),
          data.sum === undefined ? null : encodeNumber(data.sum),
          data.exemplars === undefined ? null : data.exemplars.map((exemplar) => (exemplar === undefined ? null : encodeExemplar(exemplar))),
        ];
      case 'exponentialHistogram':
        return [
          2,
          data.scale,
          encodeNumber(data.zeroCount),
          encodeNumber(data.zeroThreshold),
          data.positive.offset,
          encodeNumbers(data.positive.counts),
          data.negative.offset,
          encodeNumbers(data.negative.counts),
          encodeNumber(data.count),
          data.sum === undefined ? null : encodeNumber(data.sum),
          data.exemplars === undefined ? null : data.exemplars.map(encodeExemplar),
        ];
      case 'summary':
        return [3, data.quantiles.flatMap(({ quantile, value }) => [encodeNumber(quantile), encodeNumber(value)]), encodeNumber(data.count), encodeNumber(data.sum)];
    }
  }
}

/** `[value, timeMs, traceId, spanId, attributes]`, null for what it lacks; attribute values as the label text they become. */
function encodeExemplar(exemplar: Exemplar): unknown[] {
  return [
    encodeNumber(exemplar.value),
    exemplar.timeMs === undefined ? null : encodeNumber(exemplar.timeMs),
    exemplar.traceId ?? null,
    exemplar.spanId ?? null,
    exemplar.attributes === undefined ? null : encodeAttributes(exemplar.attributes),
  ];
}

function encodeAttributes(attributes: Attributes): Record<string, string | number | boolean> {
  const encoded: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) {
    encoded[key] = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) ? value : formatAttributeValue(value);
  }
  return encoded;
}

/** A number as JSON holds it: NaN, ±Infinity and -0 as the text `Number()` reads back. */
export function encodeNumber(value: number): number | string {
  if (Number.isFinite(value) && !Object.is(value, -0)) return value;
  return Object.is(value, -0) ? '-0' : String(value);
}

function encodeNumbers(values: readonly number[]): readonly (number | string)[] {
  for (const value of values) if (!Number.isFinite(value) || Object.is(value, -0)) return values.map(encodeNumber);
  return values;
}
