import { ProtobufWriter } from '../../../exposition/protobuf/ProtobufWriter.ts';
import type { NativeBuckets } from '../../../translate/nativeHistogramBuckets.ts';
import { EncodedLabelCache } from './encodedLabels.ts';
import type { RemoteMetadata, RemoteSample } from './remoteSample.ts';
import { HISTOGRAM, metricTypeNumber, SAMPLE, STALE_NAN_BYTES, V1, V2 } from './remoteWriteProtoTags.ts';
import type { RemoteWriteMessage } from './remoteWriteEndpoint.ts';

const NAME_LABEL = '__name__';

/** 1.0's label fields, kept while a request is written (encoding is synchronous: one serves every request). */
const LABEL_CACHE = new EncodedLabelCache();

/** 2.0's symbols table is written here, then copied before the series: encoding is synchronous, so one serves every request. */
const SYMBOL_WRITER = new ProtobufWriter(64 * 1024);

/**
 * Encodes a batch as the message an endpoint takes, uncompressed. The writer is reused from batch
 * to batch (its buffer grows to the largest and stays); what it returns is a view that the next
 * call overwrites, so compress it (or copy it) before encoding again.
 */
export function encodeWriteRequest(message: RemoteWriteMessage, samples: readonly RemoteSample[], writer: ProtobufWriter): Uint8Array {
  return message === 'prometheus.WriteRequest' ? encodeV1(samples, writer) : encodeV2(samples, writer);
}

/** A writer for `encodeWriteRequest`: 1 MiB to start with (a request of 2,000 samples takes about 0.6), grown to the largest request. */
export function newRequestWriter(): ProtobufWriter {
  return new ProtobufWriter(64 * 1024);
}

/**
 * Remote write 1.0: `prometheus.WriteRequest`, one TimeSeries per sample (labels sorted, `__name__`
 * among them), then one MetricMetadata per family in the batch.
 */
function encodeV1(samples: readonly RemoteSample[], writer: ProtobufWriter): Uint8Array {
  writer.reset();
  const labels = LABEL_CACHE;
  labels.clear();
  const families = new Set<RemoteMetadata>();
  for (const sample of samples) {
    families.add(sample.metadata);
    writer.writeTag(V1.TIMESERIES);
    const series = writer.beginLength();
    labels.write(writer, sample.labels, sample.name, sample.extraName, sample.extraValue);
    if (sample.histogram === undefined) {
      writer.writeTag(V1.SAMPLE);
      const at = writer.beginLength();
      writeSampleFields(writer, sample);
      writer.endLength(at);
    } else {
      writer.writeTag(V1.HISTOGRAM);
      const at = writer.beginLength();
      writeHistogramFields(writer, sample, false);
      writer.endLength(at);
    }
    writer.endLength(series);
  }
  for (const metadata of families) {
    writer.writeTag(V1.METADATA);
    const at = writer.beginLength();
    writer.writeTag(V1.METADATA_TYPE);
    writer.writeVarint(metricTypeNumber(metadata.type));
    writer.writeTag(V1.METADATA_FAMILY_NAME);
    writer.writeString(metadata.name);
    if (metadata.help !== '') {
      writer.writeTag(V1.METADATA_HELP);
      writer.writeString(metadata.help);
    }
    if (metadata.unit !== '') {
      writer.writeTag(V1.METADATA_UNIT);
      writer.writeString(metadata.unit);
    }
    writer.endLength(at);
  }
  return writer.cut();
}

/**
 * Remote write 2.0: `io.prometheus.write.v2.Request`. Every string once in the symbols table (the
 * empty string first, as the spec requires), series referring to them; each series carries its
 * family's metadata and its start time. The series are written first and the symbols after them
 * into a second writer, then the two joined with the symbols first.
 */
function encodeV2(samples: readonly RemoteSample[], writer: ProtobufWriter): Uint8Array {
  const symbols = new Map<string, number>([['', 0]]);
  const ref = (text: string): number => {
    let index = symbols.get(text);
    if (index === undefined) {
      index = symbols.size;
      symbols.set(text, index);
    }
    return index;
  };
  writer.reset();
  const refs: number[] = [];
  for (const sample of samples) {
    writer.writeTag(V2.TIMESERIES);
    const series = writer.beginLength();
    refs.length = 0;
    forEachLabel(sample, (name, value) => refs.push(ref(name), ref(value)));
    writer.writeTag(V2.LABELS_REFS);
    const labelsAt = writer.beginLength();
    for (const index of refs) writer.writeVarint(index);
    writer.endLength(labelsAt);
    if (sample.histogram === undefined) {
      writer.writeTag(V2.SAMPLE);
      const at = writer.beginLength();
      writeSampleFields(writer, sample);
      if (sample.startTimeMs > 0) {
        writer.writeTag(V2.SAMPLE_START_TIMESTAMP);
        writer.writeInt64(sample.startTimeMs);
      }
      writer.endLength(at);
    } else {
      writer.writeTag(V2.HISTOGRAM);
      const at = writer.beginLength();
      writeHistogramFields(writer, sample, true);
      writer.endLength(at);
    }
    const { metadata } = sample;
    writer.writeTag(V2.METADATA);
    const metadataAt = writer.beginLength();
    writer.writeTag(V2.METADATA_TYPE);
    writer.writeVarint(metricTypeNumber(metadata.type));
    if (metadata.help !== '') {
      writer.writeTag(V2.METADATA_HELP_REF);
      writer.writeVarint(ref(metadata.help));
    }
    if (metadata.unit !== '') {
      writer.writeTag(V2.METADATA_UNIT_REF);
      writer.writeVarint(ref(metadata.unit));
    }
    writer.endLength(metadataAt);
    if (sample.startTimeMs > 0) {
      writer.writeTag(V2.CREATED_TIMESTAMP);
      writer.writeInt64(sample.startTimeMs);
    }
    writer.endLength(series);
  }
  const seriesBytes = writer.cut();
  const symbolWriter = SYMBOL_WRITER;
  symbolWriter.reset();
  for (const text of symbols.keys()) {
    symbolWriter.writeTag(V2.SYMBOL);
    symbolWriter.writeString(text);
  }
  const symbolBytes = symbolWriter.cut();
  const request = new Uint8Array(symbolBytes.length + seriesBytes.length);
  request.set(symbolBytes, 0);
  request.set(seriesBytes, symbolBytes.length);
  return request;
}

/** The sample's labels in sorted order: its series' labels with `__name__` and its extra label put in their places. */
function forEachLabel(sample: RemoteSample, each: (name: string, value: string) => void): void {
  const { labels, extraName } = sample;
  let nameDone = false;
  let extraDone = extraName === undefined;
  for (let i = 0; i < labels.length; i += 2) {
    const name = labels[i]!;
    if (!nameDone && NAME_LABEL < name) {
      if (!extraDone && extraName! < NAME_LABEL) {
        each(extraName!, sample.extraValue);
        extraDone = true;
      }
      each(NAME_LABEL, sample.name);
      nameDone = true;
    }
    if (!extraDone && extraName! < name) {
      each(extraName!, sample.extraValue);
      extraDone = true;
    }
    each(name, labels[i + 1]!);
  }
  if (!nameDone) {
    if (!extraDone && extraName! < NAME_LABEL) {
      each(extraName!, sample.extraValue);
      extraDone = true;
    }
    each(NAME_LABEL, sample.name);
  }
  if (!extraDone) each(extraName!, sample.extraValue);
}

function writeSampleFields(writer: ProtobufWriter, sample: RemoteSample): void {
  writer.writeTag(SAMPLE.VALUE);
  if (sample.stale) writer.writeBytes(STALE_NAN_BYTES);
  else writer.writeDouble(sample.value);
  writer.writeTag(SAMPLE.TIMESTAMP);
  writer.writeInt64(sample.timestampMs);
}

function writeHistogramFields(writer: ProtobufWriter, sample: RemoteSample, v2: boolean): void {
  const histogram = sample.histogram!;
  const { layout } = histogram;
  writer.writeTag(HISTOGRAM.COUNT_INT);
  writer.writeVarint(histogram.count);
  writer.writeTag(HISTOGRAM.SUM);
  writer.writeDouble(histogram.sum);
  writer.writeTag(HISTOGRAM.SCHEMA);
  writer.writeSignedVarint(layout.schema);
  writer.writeTag(HISTOGRAM.ZERO_THRESHOLD);
  writer.writeDouble(layout.zeroThreshold);
  writer.writeTag(HISTOGRAM.ZERO_COUNT_INT);
  writer.writeVarint(histogram.zeroCount);
  writeBuckets(writer, layout.negative, HISTOGRAM.NEGATIVE_SPANS, HISTOGRAM.NEGATIVE_DELTAS);
  writeBuckets(writer, layout.positive, HISTOGRAM.POSITIVE_SPANS, HISTOGRAM.POSITIVE_DELTAS);
  writer.writeTag(HISTOGRAM.TIMESTAMP);
  writer.writeInt64(sample.timestampMs);
  if (v2 && sample.startTimeMs > 0) {
    writer.writeTag(V2.HISTOGRAM_START_TIMESTAMP);
    writer.writeInt64(sample.startTimeMs);
  }
}

function writeBuckets(writer: ProtobufWriter, buckets: NativeBuckets, spansTag: number, deltasTag: number): void {
  for (const span of buckets.spans) {
    writer.writeTag(spansTag);
    const at = writer.beginLength();
    if (span.offset !== 0) {
      writer.writeTag(HISTOGRAM.SPAN_OFFSET);
      writer.writeSignedVarint(span.offset);
    }
    if (span.length !== 0) {
      writer.writeTag(HISTOGRAM.SPAN_LENGTH);
      writer.writeVarint(span.length);
    }
    writer.endLength(at);
  }
  if (buckets.deltas.length === 0) return;
  writer.writeTag(deltasTag);
  const at = writer.beginLength();
  for (const delta of buckets.deltas) writer.writeSignedVarint(delta);
  writer.endLength(at);
}
