import type { Family, Series, SeriesData } from '../../model/family.ts';
import { assignExemplarsToBuckets } from '../../model/bucketExemplars.ts';
import { openMetricsFamilyName } from '../../model/familyNames.ts';
import type { Exemplar } from '../../otelData/otelData.ts';
import { toClassicBuckets } from '../../translate/exponentialBuckets.ts';
import { sameBounds } from '../../model/latestExemplars.ts';
import { escapeHelp, renderMetadataName, toSampleName } from './escape.ts';
import { escapeLabelValue } from '../../translate/labelText.ts';
import { escapeNameFor, type EscapingScheme } from '../escaping/nameEscaping.ts';
import { LabelTextEscaper } from './escapeLabelText.ts';
import { formatFloat } from './formatFloat.ts';

export interface SampleFormat {
  readonly openMetrics: boolean;
  readonly appendTimestamp: boolean;
  readonly maxExponentialBuckets: number;
  /** How metric and label names outside the legacy character set are written (`allow-utf-8`: quoted). */
  readonly escaping: EscapingScheme;
  /** OpenMetrics only: a `_created` line for the counters, histograms and summaries whose series know their start. */
  readonly createdLines: boolean;
}

/** OpenMetrics caps an exemplar's label names and values together at 128 code points. */
const EXEMPLAR_LABEL_LIMIT = 128;

/**
 * Parts (strings) a chunk of the exposition gathers before it is joined and handed on: a few
 * hundred lines, some tens of KiB (about 70 KiB for lines with 7 labels). Below V8's largest
 * ordinary heap object (128 KiB), a chunk's string is allocated young and dies young once it is
 * sent; a larger one is allocated in the large-object space, as old, and the 29 MiB of a W40k
 * exposition then add up to more garbage collection (chunks of 32,768 parts, about 1 MiB, made
 * the sidecar's streamed W40k scrape 71–74 ms instead of 39–47 ms).
 */
export const CHUNK_PARTS = 2048;

/** Series a chunk holds when chunks are kept (`ChunkTexts`): at most a few MiB, a few milliseconds of work. */
const KEPT_CHUNK_SERIES = 1024;

/**
 * Chunks written before, by the data object of their first series, with the data objects of all
 * their series: a chunk whose series all still hold the same data objects is the same text.
 */
export type ChunkTexts = WeakMap<SeriesData, { readonly data: readonly SeriesData[]; readonly text: string }>;

/** One family's metadata and samples, in text (0.0.4, 1.0.0) or OpenMetrics. Empty families write nothing. */
export function writeFamily(family: Family, format: SampleFormat): string {
  let out = '';
  for (const chunk of writeFamilyChunks(family, format)) out += chunk;
  return out;
}

/**
 * The same text in chunks of about `CHUNK_PARTS` parts, whole series each, so that a consumer may
 * let other work run between chunks (ingest, other requests). The family's series are listed when
 * it starts, and each series' data is read once, as a whole: a series changed between two chunks
 * is written as it was before or as it is after the change, never half of each, and written once.
 *
 * `kept`: chunks of `KEPT_CHUNK_SERIES` series are taken from there when their series' data objects
 * are the same as when they were written (see `ChunkTextCache`), and kept there once written.
 */
export function* writeFamilyChunks(family: Family, format: SampleFormat, kept?: ChunkTexts, chunkParts = CHUNK_PARTS): Generator<string> {
  if (family.series.size === 0) return;
  const series = [...family.series.values()];
  const writer = new FamilyWriter(family, format);
  const header = format.openMetrics ? openMetricsHeader(family, format.escaping) : textHeader(family, format.escaping);
  if (kept !== undefined) {
    yield header;
    for (let start = 0; start < series.length; start += KEPT_CHUNK_SERIES) {
      yield keptChunk(writer, series.slice(start, start + KEPT_CHUNK_SERIES), kept);
    }
    return;
  }
  const parts: string[] = [header];
  for (const one of series) {
    writer.writeSeries(one, parts);
    if (parts.length >= chunkParts) {
      yield parts.join('');
      parts.length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** A chunk's text: the one kept if its series hold the data objects they held then, else written and kept. */
function keptChunk(writer: FamilyWriter, series: readonly Series[], kept: ChunkTexts): string {
  const data = series.map((one) => one.data); // each series' data read once
  const previous = kept.get(data[0]!);
  if (previous !== undefined && previous.data.length === data.length && previous.data.every((d, i) => d === data[i])) return previous.text;
  const parts: string[] = [];
  for (let i = 0; i < series.length; i++) writer.writeSeries(series[i]!, parts, data[i]);
  const text = parts.join('');
  kept.set(data[0]!, { data, text });
  return text;
}

function textHeader(family: Family, escaping: EscapingScheme): string {
  const name = renderMetadataName(escapeNameFor(family.name, escaping));
  const help = family.help === '' ? '' : `# HELP ${name} ${escapeHelp(family.help, false)}\n`;
  return `${help}# TYPE ${name} ${family.type}\n`;
}

function openMetricsHeader(family: Family, escaping: EscapingScheme): string {
  const name = renderMetadataName(escapeNameFor(openMetricsFamilyName(family.name, family.type), escaping));
  let header = `# TYPE ${name} ${family.type}\n`;
  if (family.unit !== '') header += `# UNIT ${name} ${family.unit}\n`;
  if (family.help !== '') header += `# HELP ${name} ${escapeHelp(family.help, true)}\n`;
  return header;
}

/** How a sample name is written before a series' labels, quoting decided once per family. */
interface SampleHead {
  /** Before a label text: `name{` (a UTF-8 name: `{"name",`). */
  readonly open: string;
  /** With no labels, up to the value: `name ` (a UTF-8 name: `{"name"} `). */
  readonly bare: string;
}

function toSampleHead(name: string): SampleHead {
  const { quoted } = toSampleName(name);
  return quoted === undefined ? { open: `${name}{`, bare: `${name} ` } : { open: `{${quoted},`, bare: `{${quoted}} ` };
}

/** The text of a label the exposition adds (`le`, `quantile`) and what closes the labels, after a label text or alone. */
interface AddedLabel {
  /** After a label text: `,le="0.5"} `. */
  readonly afterLabels: string;
  /** With no other labels: `le="0.5"} `. */
  readonly alone: string;
}

function toAddedLabel(name: string, value: string): AddedLabel {
  return { afterLabels: `,${name}="${value}"} `, alone: `${name}="${value}"} ` };
}

const INF_BUCKET = toAddedLabel('le', '+Inf');

/**
 * Writes one family's series as parts of lines (`name{` label text `} ` value end), without
 * building a prefix per series: what is the same for every series (sample names, the `le` labels
 * of the last bounds seen) is worked out once. Sample names are the family's name, escaped as the
 * scraper asked, and a suffix (as client_golang appends them to the escaped family name).
 */
class FamilyWriter {
  readonly #family: Family;
  readonly #format: SampleFormat;
  /** Counter and gauge samples (an OpenMetrics counter's end in `_total`); summary quantiles use it too. */
  readonly #value: SampleHead;
  readonly #bucket: SampleHead;
  readonly #sum: SampleHead;
  readonly #count: SampleHead;
  readonly #created: SampleHead;
  readonly #labels: LabelTextEscaper;
  /** Whether this family's series get a `_created` line (those that know their start). */
  readonly #writesCreated: boolean;
  /** The `le` labels of `#bounds`, then `+Inf`. */
  #bounds: readonly number[] | undefined;
  #buckets: readonly AddedLabel[] = [];

  constructor(family: Family, format: SampleFormat) {
    const { name, type } = family;
    this.#family = family;
    this.#format = format;
    const written = escapeNameFor(format.openMetrics ? openMetricsFamilyName(name, type) : name, format.escaping);
    this.#value = toSampleHead(format.openMetrics && type === 'counter' ? `${written}_total` : written);
    this.#bucket = toSampleHead(`${written}_bucket`);
    this.#sum = toSampleHead(`${written}_sum`);
    this.#count = toSampleHead(`${written}_count`);
    this.#created = toSampleHead(`${written}_created`);
    this.#writesCreated = format.openMetrics && format.createdLines && type !== 'gauge';
    this.#labels = new LabelTextEscaper(format.escaping);
  }

  /** Writes the series' lines as parts; `data` is the series' data, read once by the caller. */
  writeSeries(series: Series, parts: string[], data: SeriesData = series.data): void {
    const format = this.#format;
    const labelText = this.#labels.labelTextOf(series);
    const end = format.appendTimestamp ? `${timestampSuffix(series.timeMs, format)}\n` : '\n';
    switch (data.kind) {
      case 'number': {
        writeHead(parts, this.#value, labelText);
        parts.push(formatFloat(data.value));
        if (format.openMetrics && this.#family.type === 'counter' && data.exemplar !== undefined) parts.push(end.slice(0, -1), exemplarText(data.exemplar), '\n');
        else parts.push(end);
        this.#writeCreated(parts, labelText, series.startTimeMs, end);
        return;
      }
      case 'histogram':
        this.#writeBuckets(parts, labelText, data.bounds, data.counts, data.count, data.sum, end, data.exemplars);
        this.#writeCreated(parts, labelText, series.startTimeMs, end);
        return;
      case 'exponentialHistogram': {
        const { bounds, counts } = toClassicBuckets(data, format.maxExponentialBuckets);
        const exemplars = data.exemplars && assignExemplarsToBuckets(data.exemplars, bounds);
        this.#writeBuckets(parts, labelText, bounds, counts, data.count, data.sum, end, exemplars);
        this.#writeCreated(parts, labelText, series.startTimeMs, end);
        return;
      }
      case 'summary': {
        for (const { quantile, value } of data.quantiles) {
          const added = toAddedLabel('quantile', formatFloat(quantile));
          parts.push(this.#value.open, labelText, labelText === '' ? added.alone : added.afterLabels, formatFloat(value), end);
        }
        writeHead(parts, this.#sum, labelText);
        parts.push(formatFloat(data.sum), end);
        writeHead(parts, this.#count, labelText);
        parts.push(formatFloat(data.count), end);
        this.#writeCreated(parts, labelText, series.startTimeMs, end);
        return;
      }
    }
  }

  /**
   * OpenMetrics' `_created` sample (the series' start, in seconds), last of its MetricPoint as the
   * spec's examples place it: after `_total`, after `_count` and `_sum`. Opt-in: Prometheus before
   * 3 ingests it as a series of its own.
   */
  #writeCreated(parts: string[], labelText: string, startTimeMs: number | undefined, end: string): void {
    if (!this.#writesCreated || startTimeMs === undefined) return;
    writeHead(parts, this.#created, labelText);
    parts.push(formatTimestampSeconds(startTimeMs), end);
  }

  /** Cumulative `_bucket` lines ending in `+Inf` (equal to `_count`), then `_sum` and `_count`. */
  #writeBuckets(
    parts: string[],
    labelText: string,
    bounds: readonly number[],
    counts: readonly number[],
    count: number,
    sum: number | undefined,
    end: string,
    exemplars: readonly (Exemplar | undefined)[] | undefined,
  ): void {
    const buckets = this.#bucketLabels(bounds);
    const alone = labelText === '';
    const open = this.#bucket.open;
    const withExemplars = this.#format.openMetrics && exemplars !== undefined;
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i] ?? 0;
      parts.push(open, labelText, alone ? buckets[i]!.alone : buckets[i]!.afterLabels, formatFloat(cumulative));
      pushEnd(parts, end, withExemplars ? exemplars[i] : undefined);
    }
    cumulative += counts[bounds.length] ?? 0;
    // +Inf and _count are one number; should the two disagree, the larger keeps buckets monotonic.
    const total = formatFloat(Math.max(cumulative, count));
    parts.push(open, labelText, alone ? INF_BUCKET.alone : INF_BUCKET.afterLabels, total);
    pushEnd(parts, end, withExemplars ? exemplars[bounds.length] : undefined);
    if (sum !== undefined) {
      writeHead(parts, this.#sum, labelText);
      parts.push(formatFloat(sum), end);
    }
    writeHead(parts, this.#count, labelText);
    parts.push(total, end);
  }

  /** The `le` labels of these bounds: those of the last bounds written when they are the same (the usual case). */
  #bucketLabels(bounds: readonly number[]): readonly AddedLabel[] {
    if (this.#bounds === undefined || !sameBounds(this.#bounds, bounds)) {
      this.#bounds = bounds;
      this.#buckets = bounds.map((bound) => toAddedLabel('le', formatFloat(bound)));
    }
    return this.#buckets;
  }
}

/** `name{` label text `} `, or `name ` without labels. */
function writeHead(parts: string[], head: SampleHead, labelText: string): void {
  if (labelText === '') parts.push(head.bare);
  else parts.push(head.open, labelText, '} ');
}

/** The end of a sample line (timestamp and newline), with the exemplar before the newline if there is one. */
function pushEnd(parts: string[], end: string, exemplar: Exemplar | undefined): void {
  if (exemplar === undefined) parts.push(end);
  else parts.push(end.slice(0, -1), exemplarText(exemplar), '\n');
}

/** Text 0.0.4 stamps integer milliseconds; OpenMetrics seconds. */
function timestampSuffix(timeMs: number, format: SampleFormat): string {
  if (!format.appendTimestamp) return '';
  return format.openMetrics ? ` ${formatTimestampSeconds(timeMs)}` : ` ${Math.round(timeMs)}`;
}

function formatTimestampSeconds(timeMs: number): string {
  return (Math.round(timeMs) / 1000).toFixed(3);
}

/** ` # {trace_id="…",span_id="…"} value timestamp`, with attributes while they fit in 128 code points. */
function exemplarText(exemplar: Exemplar | undefined): string {
  if (exemplar === undefined) return '';
  const pairs: [string, string][] = [];
  if (exemplar.traceId) pairs.push(['trace_id', exemplar.traceId]);
  if (exemplar.spanId) pairs.push(['span_id', exemplar.spanId]);
  for (const [key, value] of Object.entries(exemplar.attributes ?? {})) {
    if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) && typeof value === 'string') pairs.push([key, value]);
  }
  let used = 0;
  let labels = '';
  for (const [name, value] of pairs) {
    const length = [...name].length + [...value].length;
    if (used + length > EXEMPLAR_LABEL_LIMIT) continue;
    used += length;
    labels += `${labels === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  const time = exemplar.timeMs === undefined ? '' : ` ${formatTimestampSeconds(exemplar.timeMs)}`;
  return ` # {${labels}} ${formatFloat(exemplar.value)}${time}`;
}
