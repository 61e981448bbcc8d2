import type { Family, MetricType, Series } from '../../../model/family.ts';
import { formatFloat } from '../../../exposition/textLines/formatFloat.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS, toClassicBuckets } from '../../../translate/exponentialBuckets.ts';
import type { LabelPairs } from '../../../translate/labelPairs.ts';
import { toNativeHistogram, type NativeHistogramLayout } from '../../../translate/nativeHistogramBuckets.ts';

/** What remote write says of a family: its name, type, help and unit (1.0's MetricMetadata, 2.0's Metadata). */
export interface RemoteMetadata {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** A native histogram as remote write sends it (integer counts: OpenTelemetry's are). */
export interface RemoteHistogram {
  readonly layout: NativeHistogramLayout;
  readonly count: number;
  readonly sum: number;
  readonly zeroCount: number;
}

/**
 * One sample queued for an endpoint: a float, a native histogram or a stale marker, with its
 * labels and its family's metadata. Kept small, as a queue holds hundreds of thousands: the
 * series' own labels (sorted, external labels added) are one array shared by all the samples one
 * series gives in a round; `__name__` and a bucket's `le` or a quantile's `quantile` are fields
 * that the encoders put in their sorted places.
 */
export class RemoteSample {
  readonly name: string;
  /** The series' labels, name, value, name, value..., sorted by name, without `__name__`. */
  readonly labels: readonly string[];
  /** `le` or `quantile`, or undefined. */
  readonly extraName: string | undefined;
  readonly extraValue: string;
  readonly value: number;
  readonly timestampMs: number;
  /** When the series (re)started (counters, histograms, summaries), 0 when unknown. */
  readonly startTimeMs: number;
  /** Set for a native histogram (then `value` is unused). */
  readonly histogram: RemoteHistogram | undefined;
  /** A stale marker: the series is gone (Prometheus' StaleNaN as the value). */
  readonly stale: boolean;
  readonly metadata: RemoteMetadata;
  /** Which shard queue it goes to: a hash of the series' labels, so that a series' samples stay in order. */
  readonly seriesHash: number;

  constructor(
    name: string,
    labels: readonly string[],
    extraName: string | undefined,
    extraValue: string,
    value: number,
    timestampMs: number,
    startTimeMs: number,
    histogram: RemoteHistogram | undefined,
    stale: boolean,
    metadata: RemoteMetadata,
    seriesHash: number,
  ) {
    this.name = name;
    this.labels = labels;
    this.extraName = extraName;
    this.extraValue = extraValue;
    this.value = value;
    this.timestampMs = timestampMs;
    this.startTimeMs = startTimeMs;
    this.histogram = histogram;
    this.stale = stale;
    this.metadata = metadata;
    this.seriesHash = seriesHash;
  }

  /** Its labels as sorted pairs, `__name__` and the extra label in their places (tests, logs). */
  labelPairs(): LabelPairs {
    const pairs: [string, string][] = [['__name__', this.name]];
    for (let i = 0; i < this.labels.length; i += 2) pairs.push([this.labels[i]!, this.labels[i + 1]!]);
    if (this.extraName !== undefined) pairs.push([this.extraName, this.extraValue]);
    return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/** How a round turns series into samples. */
export interface SampleOptions {
  /** Labels every series gets unless it has a label of that name (Prometheus' `external_labels`), sorted by name. */
  readonly externalLabels: LabelPairs;
  /** Exponential histograms as native histograms; else as classic buckets, as the text exposition writes them. */
  readonly nativeHistograms: boolean;
  /** Classic buckets an exponential histogram is brought down to when sent as classic. */
  readonly maxExponentialBuckets?: number;
}

/** The metadata object of a family, one per family while its name, type, help and unit stay. */
const metadataByFamily = new WeakMap<Family, RemoteMetadata>();

export function metadataOf(family: Family): RemoteMetadata {
  const known = metadataByFamily.get(family);
  if (known !== undefined && known.help === family.help && known.unit === family.unit) return known;
  const made: RemoteMetadata = { name: family.name, type: family.type, help: family.help, unit: family.unit };
  metadataByFamily.set(family, made);
  return made;
}

/**
 * The samples of a series as remote write sends them, each at the time of its OTLP point: a
 * counter or gauge is one sample; a histogram its cumulative `_bucket`s (`le`), `_sum` and
 * `_count`, or one native histogram; a summary its quantiles, `_sum` and `_count`. The names and
 * labels are the scrape's (text 0.0.4 names, a counter's with `_total`).
 */
export function samplesOfSeries(family: Family, series: Series, options: SampleOptions, into: RemoteSample[]): void {
  const labels = withExternalLabels(series.labels, options.externalLabels);
  const hash = hashLabels(family.name, labels);
  const metadata = metadataOf(family);
  const time = series.timeMs;
  const start = family.type === 'gauge' ? 0 : (series.startTimeMs ?? 0);
  const data = series.data;
  const name = family.name;
  const sample = (sampleName: string, extraName: string | undefined, extraValue: string, value: number): void => {
    into.push(new RemoteSample(sampleName, labels, extraName, extraValue, value, time, start, undefined, false, metadata, hash));
  };
  switch (data.kind) {
    case 'number':
      sample(name, undefined, '', data.value);
      return;
    case 'histogram':
      pushBuckets(name, data.bounds, data.counts, data.count, data.sum, sample);
      return;
    case 'exponentialHistogram': {
      const layout = options.nativeHistograms ? toNativeHistogram(data) : undefined;
      if (layout !== undefined) {
        const histogram: RemoteHistogram = { layout, count: data.count, sum: data.sum ?? Number.NaN, zeroCount: data.zeroCount };
        into.push(new RemoteSample(name, labels, undefined, '', Number.NaN, time, start, histogram, false, metadata, hash));
        return;
      }
      const classic = toClassicBuckets(data, options.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS);
      pushBuckets(name, classic.bounds, classic.counts, data.count, data.sum, sample);
      return;
    }
    case 'summary':
      for (const { quantile, value } of data.quantiles) sample(name, 'quantile', formatFloat(quantile), value);
      sample(`${name}_sum`, undefined, '', data.sum);
      sample(`${name}_count`, undefined, '', data.count);
      return;
  }
}

/**
 * Stale markers for a series that is gone: one per sample name it had (Prometheus marks each of
 * a histogram's series), at `timeMs`.
 */
export function staleMarkersOfSeries(family: Family, series: Series, options: SampleOptions, timeMs: number, into: RemoteSample[]): void {
  const live: RemoteSample[] = [];
  samplesOfSeries(family, series, options, live);
  for (const sample of live) {
    into.push(new RemoteSample(sample.name, sample.labels, sample.extraName, sample.extraValue, Number.NaN, timeMs, 0, undefined, true, sample.metadata, sample.seriesHash));
  }
}

type SampleSink = (name: string, extraName: string | undefined, extraValue: string, value: number) => void;

function pushBuckets(name: string, bounds: readonly number[], counts: readonly number[], count: number, sum: number | undefined, sample: SampleSink): void {
  const bucket = `${name}_bucket`;
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    cumulative += counts[i] ?? 0;
    sample(bucket, 'le', formatFloat(bounds[i]!), cumulative);
  }
  sample(bucket, 'le', '+Inf', count);
  if (sum !== undefined) sample(`${name}_sum`, undefined, '', sum);
  sample(`${name}_count`, undefined, '', count);
}

/** The series' pairs flattened, external labels added where the series has no label of their name, sorted by name. */
function withExternalLabels(pairs: LabelPairs, external: LabelPairs): readonly string[] {
  const flat: string[] = [];
  let e = 0;
  for (const [name, value] of pairs) {
    while (e < external.length && external[e]![0] < name) {
      flat.push(external[e]![0], external[e]![1]);
      e++;
    }
    if (e < external.length && external[e]![0] === name) e++; // the series' own label wins
    flat.push(name, value);
  }
  for (; e < external.length; e++) flat.push(external[e]![0], external[e]![1]);
  return flat;
}

/** FNV-1a over the name and labels: the same series always lands on the same shard. */
function hashLabels(name: string, labels: readonly string[]): number {
  let hash = 0x811c9dc5;
  hash = mix(hash, name);
  for (const part of labels) hash = mix(hash ^ 0xff, part);
  return hash >>> 0;
}

function mix(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}
