import { assignExemplarsToBuckets } from '../../model/bucketExemplars.ts';
import type { ExponentialHistogramData, Family, HistogramData, Series, SeriesData, SummaryData } from '../../model/family.ts';
import type { Exemplar } from '../../otelData/otelData.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS, toClassicBuckets } from '../../translate/exponentialBuckets.ts';
import type { LabelPairs } from '../../translate/labelPairs.ts';
import { toNativeHistogram, type NativeBuckets } from '../../translate/nativeHistogramBuckets.ts';
import { escapeNameFor } from '../escaping/nameEscaping.ts';
import type { RenderOptions } from '../expositionFormat.ts';
import { EscapedLabels } from './escapedLabels.ts';
import { exemplarLabels } from './exemplarLabels.ts';
import { writeLabelTextPairs } from './labelTextPairs.ts';
import {
  BUCKET,
  BUCKET_SPAN,
  COUNTER,
  EXEMPLAR,
  HISTOGRAM,
  LABEL_PAIR,
  METRIC,
  METRIC_FAMILY,
  METRIC_TYPE,
  QUANTILE,
  SUMMARY,
  TIMESTAMP,
  VALUE,
} from './metricsProtoTags.ts';
import type { ChunkBytes } from './chunkBytes.ts';
import { closeReserved, ProtobufWriter } from './ProtobufWriter.ts';

/**
 * A chunk is handed on once it holds this many bytes (whole series): some tens of KiB, as the text
 * formats' chunks, so that the server may write and gzip as the exposition is being written.
 */
export const CHUNK_BYTES = 48 * 1024;

/** Room a chunk starts with: the series that takes it past `CHUNK_BYTES` fits without the buffer growing. */
const CHUNK_ROOM = 64 * 1024;

/**
 * Bytes kept for a family's length before it: five, the longest varint Prometheus reads there
 * (`binary.MaxVarintLen32`, families below 32 GiB); what the length does not need is given back.
 */
const LENGTH_PREFIX_BYTES = 5;

const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/**
 * Series a run of kept `Metric` messages holds (`ChunkBytes`). Smaller than the text formats' kept
 * chunks (1,024 series): a run is written again whole when one of its series changed, and a
 * collection that changed one series in a hundred, spread evenly, leaves about a third of
 * 64-series runs as they were, and no 1,024-series run. Each run costs a lookup and a copy.
 */
export const KEPT_RUN_SERIES = 64;

/**
 * The families as a stream of varint-length-delimited `io.prometheus.client.MetricFamily`
 * messages (client_model's metrics.proto), in chunks of about `CHUNK_BYTES` of whole series.
 *
 * A family is one message whose length comes first, so each family is written whole before its
 * chunks are handed on, then the writer goes on in the chunk it ended in. The event loop is held
 * for the largest family meanwhile: W40k's 10,000 histograms (3.6 MiB) took 15–25 ms, its
 * counters 8–14 ms (text: at most `TURN_AFTER_MS`, 10 ms). Each series' data is read once, as a
 * whole, when it is written.
 *
 * `kept`: runs of series are copied from there when their series' data objects are the same as
 * when they were written (see `ChunkTextCache`), and kept there once written; chunks are then cut
 * between runs.
 */
export function* writeMetricFamilies(families: Iterable<Family>, options: RenderOptions, kept?: ChunkBytes): Generator<Uint8Array> {
  const writer = new ProtobufWriter(CHUNK_ROOM);
  const encoder = new SeriesEncoder(options);
  const pending: Uint8Array[] = [];
  let cutBytes = 0;
  const cutIfFull = (): void => {
    if (writer.length < CHUNK_BYTES) return;
    const chunk = writer.cut();
    cutBytes += chunk.length;
    pending.push(chunk);
  };
  for (const family of families) {
    if (family.series.size === 0) continue; // as the text formats: no metadata without samples
    const prefixChunk = pending.length;
    const prefixAt = writer.skip(LENGTH_PREFIX_BYTES);
    const bodyStart = cutBytes + writer.length;
    encoder.writeFamilyFields(writer, family);
    if (kept === undefined) {
      for (const series of family.series.values()) {
        encoder.writeSeries(writer, series, series.data);
        cutIfFull();
      }
    } else {
      const series = [...family.series.values()];
      for (let start = 0; start < series.length; start += KEPT_RUN_SERIES) {
        writeKeptRun(writer, encoder, series, start, Math.min(start + KEPT_RUN_SERIES, series.length), kept);
        cutIfFull();
      }
    }
    const bodyLength = cutBytes + writer.length - bodyStart;
    if (prefixChunk < pending.length) {
      const chunk = pending[prefixChunk]!;
      pending[prefixChunk] = chunk.subarray(0, closeReserved(chunk, prefixAt, LENGTH_PREFIX_BYTES, chunk.length, bodyLength));
    } else {
      writer.closeReserved(prefixAt, LENGTH_PREFIX_BYTES, bodyLength);
    }
    yield* pending;
    pending.length = 0;
    cutBytes = 0;
    if (writer.length >= CHUNK_BYTES) yield writer.cut();
  }
  if (writer.length > 0) yield writer.cut();
}

/** The series from `start` to `end`: the bytes kept if they hold the data objects they held then, else written and kept (a copy: chunks are handed on). */
function writeKeptRun(writer: ProtobufWriter, encoder: SeriesEncoder, series: readonly Series[], start: number, end: number, kept: ChunkBytes): void {
  const data = new Array<SeriesData>(end - start);
  for (let i = start; i < end; i++) data[i - start] = series[i]!.data; // each series' data read once
  const previous = kept.get(data[0]!);
  if (previous !== undefined && sameData(previous.data, data)) {
    writer.writeBytes(previous.bytes);
    return;
  }
  const at = writer.length;
  for (let i = start; i < end; i++) encoder.writeSeries(writer, series[i]!, data[i - start]!);
  kept.set(data[0]!, { data, bytes: writer.copySince(at) });
}

function sameData(a: readonly SeriesData[], b: readonly SeriesData[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes a family's own fields and its series as `Metric` messages, in the options' escaping. */
class SeriesEncoder {
  readonly #appendTimestamp: boolean;
  readonly #maxExponentialBuckets: number;
  readonly #escaping: RenderOptions['escaping'];
  readonly #labels: EscapedLabels | undefined;
  #counter = false;

  constructor(options: RenderOptions) {
    this.#appendTimestamp = options.appendTimestamp ?? false;
    this.#maxExponentialBuckets = options.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS;
    this.#escaping = options.escaping;
    this.#labels = options.escaping === undefined || options.escaping === 'allow-utf-8' ? undefined : new EscapedLabels(options.escaping);
  }

  /** Name, help, type and unit; unit before the metrics (field order is free), so that the family is written in one pass. */
  writeFamilyFields(writer: ProtobufWriter, family: Family): void {
    this.#counter = family.type === 'counter';
    writer.writeTag(METRIC_FAMILY.name);
    writer.writeString(this.#escaping === undefined ? family.name : escapeNameFor(family.name, this.#escaping));
    if (family.help !== '') {
      writer.writeTag(METRIC_FAMILY.help);
      writer.writeString(family.help);
    }
    writer.writeTag(METRIC_FAMILY.type);
    writer.writeVarint(METRIC_TYPE[family.type]);
    if (family.unit !== '') {
      writer.writeTag(METRIC_FAMILY.unit);
      writer.writeString(family.unit);
    }
  }

  /** `data`: the series' data, read once by the caller (a series changed meanwhile is written as it was, or as it is). */
  writeSeries(writer: ProtobufWriter, series: Series, data: SeriesData): void {
    writer.writeTag(METRIC_FAMILY.metric);
    const metric = writer.beginLength();
    if (!writeLabelTextPairs(writer, METRIC.label, series.labelText, this.#labels !== undefined)) {
      writeLabels(writer, METRIC.label, this.#labels === undefined ? series.labels : this.#labels.of(series.labels));
    }
    switch (data.kind) {
      case 'number':
        if (this.#counter) {
          writer.writeTag(METRIC.counter);
          const counter = writer.beginLength();
          writer.writeTag(COUNTER.value);
          writer.writeDouble(data.value);
          if (data.exemplar !== undefined) {
            writer.writeTag(COUNTER.exemplar);
            writeExemplar(writer, data.exemplar, undefined);
          }
          writeCreated(writer, COUNTER.createdTimestamp, series.startTimeMs);
          writer.endLength(counter);
        } else {
          writer.writeTag(METRIC.gauge);
          const gauge = writer.beginLength();
          writer.writeTag(VALUE);
          writer.writeDouble(data.value);
          writer.endLength(gauge);
        }
        break;
      case 'histogram':
        writeClassicHistogram(writer, data, series.startTimeMs);
        break;
      case 'exponentialHistogram':
        writeExponentialHistogram(writer, data, series, this.#maxExponentialBuckets);
        break;
      case 'summary':
        writeSummary(writer, data, series.startTimeMs);
        break;
    }
    if (this.#appendTimestamp) {
      writer.writeTag(METRIC.timestampMs);
      writer.writeInt64(Math.round(series.timeMs));
    }
    writer.endLength(metric);
  }
}

/** `LabelPair` messages under `tag`: a series' labels, or an exemplar's. */
function writeLabels(writer: ProtobufWriter, tag: number, labels: LabelPairs): void {
  for (let i = 0; i < labels.length; i++) {
    const [name, value] = labels[i]!;
    writer.writeTag(tag);
    const pair = writer.beginLength();
    writer.writeTag(LABEL_PAIR.name);
    writer.writeString(name);
    writer.writeTag(LABEL_PAIR.value);
    writer.writeString(value);
    writer.endLength(pair);
  }
}

function writeClassicHistogram(writer: ProtobufWriter, data: HistogramData, startTimeMs: number | undefined): void {
  writer.writeTag(METRIC.histogram);
  const histogram = writer.beginLength();
  writeClassicFields(writer, data.bounds, data.counts, data.count, data.sum, data.exemplars);
  writeCreated(writer, HISTOGRAM.createdTimestamp, startTimeMs);
  writer.endLength(histogram);
}

/**
 * An exponential histogram as a native histogram (schema, zero bucket, spans and deltas) and, in
 * the same message, as the classic buckets the text formats write. Both, as client_golang writes a
 * histogram that has both: Prometheus with native histograms on reads the native part (3.x also
 * the classic one with `always_scrape_classic_histograms`), one with them off (or 2.x without the
 * feature flag, which does not ask for protobuf anyway) reads the classic buckets and loses nothing
 * that the text formats would give it. A scale below −4 has no native form: classic buckets only.
 */
function writeExponentialHistogram(writer: ProtobufWriter, data: ExponentialHistogramData, series: Series, maxBuckets: number): void {
  writer.writeTag(METRIC.histogram);
  const histogram = writer.beginLength();
  const { bounds, counts } = toClassicBuckets(data, maxBuckets);
  const exemplars = data.exemplars && assignExemplarsToBuckets(data.exemplars, bounds);
  writeClassicFields(writer, bounds, counts, data.count, data.sum, exemplars);
  writeCreated(writer, HISTOGRAM.createdTimestamp, series.startTimeMs);
  const native = toNativeHistogram(data);
  if (native !== undefined) {
    writer.writeTag(HISTOGRAM.schema);
    writer.writeSignedVarint(native.schema);
    writer.writeTag(HISTOGRAM.zeroThreshold);
    writer.writeDouble(native.zeroThreshold);
    writer.writeTag(HISTOGRAM.zeroCount);
    writer.writeVarint(toCount(data.zeroCount));
    writeNativeBuckets(writer, HISTOGRAM.negativeSpan, HISTOGRAM.negativeDelta, native.negative);
    if (native.positive.spans.length === 0 && native.negative.spans.length === 0) {
      writeNoOpSpan(writer);
    } else {
      writeNativeBuckets(writer, HISTOGRAM.positiveSpan, HISTOGRAM.positiveDelta, native.positive);
    }
    // Native exemplars must carry a timestamp (Prometheus drops those without): the series' time stands in.
    for (const exemplar of data.exemplars ?? []) {
      writer.writeTag(HISTOGRAM.exemplars);
      writeExemplar(writer, exemplar, series.timeMs);
    }
  }
  writer.endLength(histogram);
}

/**
 * sample_count, sample_sum and the cumulative buckets, ending with +Inf (optional in the format,
 * written as the text formats write it). Count and +Inf are one number: should the buckets add up to
 * more than the count, the larger keeps the buckets monotonic, as in the text formats.
 */
function writeClassicFields(
  writer: ProtobufWriter,
  bounds: readonly number[],
  counts: readonly number[],
  count: number,
  sum: number | undefined,
  exemplars: readonly (Exemplar | undefined)[] | undefined,
): void {
  let bucketTotal = 0;
  for (let i = 0; i <= bounds.length; i++) bucketTotal += counts[i] ?? 0;
  const total = toCount(Math.max(bucketTotal, count));
  writer.writeTag(HISTOGRAM.sampleCount);
  writer.writeVarint(total);
  if (sum !== undefined) {
    writer.writeTag(HISTOGRAM.sampleSum);
    writer.writeDouble(sum);
  }
  let cumulative = 0;
  for (let i = 0; i <= bounds.length; i++) {
    cumulative += counts[i] ?? 0;
    const last = i === bounds.length;
    writer.writeTag(HISTOGRAM.bucket);
    const bucket = writer.beginLength();
    writer.writeTag(BUCKET.cumulativeCount);
    writer.writeVarint(last ? total : toCount(cumulative));
    writer.writeTag(BUCKET.upperBound);
    writer.writeDouble(last ? Infinity : bounds[i]!);
    const exemplar = exemplars?.[i];
    if (exemplar !== undefined) {
      writer.writeTag(BUCKET.exemplar);
      writeExemplar(writer, exemplar, undefined);
    }
    writer.endLength(bucket);
  }
}

/** Spans, then the deltas as one packed field. */
function writeNativeBuckets(writer: ProtobufWriter, spanTag: number, deltaTag: number, buckets: NativeBuckets): void {
  if (buckets.spans.length === 0) return;
  for (const span of buckets.spans) {
    writer.writeTag(spanTag);
    const at = writer.beginLength();
    writer.writeTag(BUCKET_SPAN.offset);
    writer.writeSignedVarint(span.offset);
    writer.writeTag(BUCKET_SPAN.length);
    writer.writeVarint(span.length);
    writer.endLength(at);
  }
  writer.writeTag(deltaTag);
  const at = writer.beginLength();
  for (const delta of buckets.deltas) writer.writeSignedVarint(delta);
  writer.endLength(at);
}

/**
 * A native histogram without buckets gets a span of offset 0 and length 0 (as client_golang
 * writes it): with a zero threshold and zero count of 0 it would otherwise look like a classic one.
 */
function writeNoOpSpan(writer: ProtobufWriter): void {
  writer.writeTag(HISTOGRAM.positiveSpan);
  const at = writer.beginLength();
  writer.writeTag(BUCKET_SPAN.offset);
  writer.writeVarint(0);
  writer.writeTag(BUCKET_SPAN.length);
  writer.writeVarint(0);
  writer.endLength(at);
}

function writeSummary(writer: ProtobufWriter, data: SummaryData, startTimeMs: number | undefined): void {
  writer.writeTag(METRIC.summary);
  const summary = writer.beginLength();
  writer.writeTag(SUMMARY.sampleCount);
  writer.writeVarint(toCount(data.count));
  writer.writeTag(SUMMARY.sampleSum);
  writer.writeDouble(data.sum);
  for (const { quantile, value } of data.quantiles) {
    writer.writeTag(SUMMARY.quantile);
    const at = writer.beginLength();
    writer.writeTag(QUANTILE.quantile);
    writer.writeDouble(quantile);
    writer.writeTag(QUANTILE.value);
    writer.writeDouble(value);
    writer.endLength(at);
  }
  writeCreated(writer, SUMMARY.createdTimestamp, startTimeMs);
  writer.endLength(summary);
}

/** An `Exemplar` message's contents (after its tag); `fallbackTimeMs` stands in for a missing timestamp. */
function writeExemplar(writer: ProtobufWriter, exemplar: Exemplar, fallbackTimeMs: number | undefined): void {
  const at = writer.beginLength();
  writeLabels(writer, EXEMPLAR.label, exemplarLabels(exemplar));
  writer.writeTag(EXEMPLAR.value);
  writer.writeDouble(exemplar.value);
  const timeMs = exemplar.timeMs ?? fallbackTimeMs;
  if (timeMs !== undefined) {
    writer.writeTag(EXEMPLAR.timestamp);
    writeTimestamp(writer, timeMs);
  }
  writer.endLength(at);
}

/** The created timestamp (the series' start), when it is known. */
function writeCreated(writer: ProtobufWriter, tag: number, startTimeMs: number | undefined): void {
  if (startTimeMs === undefined) return;
  writer.writeTag(tag);
  writeTimestamp(writer, startTimeMs);
}

/** A `google.protobuf.Timestamp` message's contents: seconds and nanoseconds, fields left out when 0. */
function writeTimestamp(writer: ProtobufWriter, timeMs: number): void {
  const at = writer.beginLength();
  let seconds = Math.floor(timeMs / 1000);
  let nanos = Math.round((timeMs - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  if (seconds !== 0) {
    writer.writeTag(TIMESTAMP.seconds);
    writer.writeInt64(seconds);
  }
  if (nanos !== 0) {
    writer.writeTag(TIMESTAMP.nanos);
    writer.writeVarint(nanos);
  }
  writer.endLength(at);
}

/** A count as a uint64 holds it: a whole number from 0 (NaN and negatives as 0). */
function toCount(value: number): number {
  if (value >= 0 && value <= MAX_COUNT && Number.isInteger(value)) return value;
  return value > 0 ? Math.min(Math.round(value), MAX_COUNT) : 0;
}
