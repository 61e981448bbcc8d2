import type { Family, Series } from '../model/family.ts';
import { assignExemplarsToBuckets } from '../model/bucketExemplars.ts';
import { openMetricsFamilyName } from '../model/familyNames.ts';
import type { Exemplar } from '../model/otelData.ts';
import { toClassicBuckets } from '../translate/exponentialBuckets.ts';
import { sameBounds } from '../model/latestExemplars.ts';
import { escapeHelp, escapeLabelValue, renderMetadataName, renderSamplePrefix, toSampleName, type SampleName } from './escape.ts';
import { formatFloat } from './formatFloat.ts';

export interface SampleFormat {
  readonly openMetrics: boolean;
  readonly appendTimestamp: boolean;
  readonly maxExponentialBuckets: number;
}

/** OpenMetrics caps an exemplar's label names and values together at 128 code points. */
const EXEMPLAR_LABEL_LIMIT = 128;

/** One family's metadata and samples, in text 0.0.4 or OpenMetrics. Empty families write nothing. */
export function writeFamily(family: Family, format: SampleFormat): string {
  if (family.series.size === 0) return '';
  let out = format.openMetrics ? openMetricsHeader(family) : textHeader(family);
  const samples = buildSampleNames(family, format);
  for (const series of family.series.values()) out += writeSeries(family, samples, series, format);
  return out;
}

/** The sample names one family writes, each checked for quoting once per family, not per series. */
interface FamilySamples {
  /** Counter and gauge samples (an OpenMetrics counter's end in `_total`); summary quantiles use it too. */
  readonly value: SampleName;
  readonly bucket: SampleName;
  readonly sum: SampleName;
  readonly count: SampleName;
}

function buildSampleNames(family: Family, format: SampleFormat): FamilySamples {
  const { name, type } = family;
  const value = format.openMetrics && type === 'counter' ? `${openMetricsFamilyName(name, 'counter')}_total` : name;
  return {
    value: toSampleName(value),
    bucket: toSampleName(`${name}_bucket`),
    sum: toSampleName(`${name}_sum`),
    count: toSampleName(`${name}_count`),
  };
}

function textHeader(family: Family): string {
  const name = renderMetadataName(family.name);
  const help = family.help === '' ? '' : `# HELP ${name} ${escapeHelp(family.help, false)}\n`;
  return `${help}# TYPE ${name} ${family.type}\n`;
}

function openMetricsHeader(family: Family): string {
  const name = renderMetadataName(openMetricsFamilyName(family.name, family.type));
  let header = `# TYPE ${name} ${family.type}\n`;
  if (family.unit !== '') header += `# UNIT ${name} ${family.unit}\n`;
  if (family.help !== '') header += `# HELP ${name} ${escapeHelp(family.help, true)}\n`;
  return header;
}

/**
 * A series' samples: cached prefixes (`name{labels} `, see `valuePrefix` and `bucketPrefixes`)
 * followed by the formatted values, so that an unchanged series costs little more than its bytes.
 */
function writeSeries(family: Family, samples: FamilySamples, series: Series, format: SampleFormat): string {
  const data = series.data;
  const suffix = timestampSuffix(series.timeMs, format);
  switch (data.kind) {
    case 'number': {
      const exemplar = format.openMetrics && family.type === 'counter' ? exemplarText(data.exemplar) : '';
      return `${valuePrefix(series, samples.value)}${formatFloat(data.value)}${suffix}${exemplar}\n`;
    }
    case 'histogram': {
      const prefixes = bucketPrefixes(series, family.name, samples, data.bounds);
      return writeBuckets(prefixes, data.counts, data.count, data.sum, suffix, format, data.exemplars);
    }
    case 'exponentialHistogram': {
      const { bounds, counts } = toClassicBuckets(data, format.maxExponentialBuckets);
      const exemplars = data.exemplars && assignExemplarsToBuckets(data.exemplars, bounds);
      return writeBuckets(bucketPrefixes(series, family.name, samples, bounds), counts, data.count, data.sum, suffix, format, exemplars);
    }
    case 'summary': {
      const labelText = series.labelText;
      let out = '';
      for (const { quantile, value } of data.quantiles) {
        out += `${renderSamplePrefix(samples.value, withLabel(labelText, 'quantile', formatFloat(quantile)))} ${formatFloat(value)}${suffix}\n`;
      }
      out += `${renderSamplePrefix(samples.sum, labelText)} ${formatFloat(data.sum)}${suffix}\n`;
      out += `${renderSamplePrefix(samples.count, labelText)} ${formatFloat(data.count)}${suffix}\n`;
      return out;
    }
  }
}

/** `name{labels} ` of a counter or gauge sample, cached on the series for this sample name. */
function valuePrefix(series: Series, sample: SampleName): string {
  const cached = series.prefixes;
  if (cached !== undefined && cached.bounds === undefined && cached.name === sample.name) return cached.lines[0]!;
  const prefix = `${renderSamplePrefix(sample, series.labelText)} `;
  series.prefixes = { name: sample.name, bounds: undefined, lines: [prefix] };
  return prefix;
}

/**
 * A histogram series' `_bucket` prefixes (one per bound, then `+Inf`), then its `_sum` and `_count`
 * prefixes, each ending in a space; cached on the series while its family name and bounds stay.
 */
function bucketPrefixes(series: Series, name: string, samples: FamilySamples, bounds: readonly number[]): readonly string[] {
  const cached = series.prefixes;
  if (cached !== undefined && cached.bounds !== undefined && cached.name === name && sameBounds(cached.bounds, bounds)) return cached.lines;
  const labelText = series.labelText;
  const lines = bounds.map((bound) => `${renderSamplePrefix(samples.bucket, withLabel(labelText, 'le', formatFloat(bound)))} `);
  lines.push(
    `${renderSamplePrefix(samples.bucket, withLabel(labelText, 'le', '+Inf'))} `,
    `${renderSamplePrefix(samples.sum, labelText)} `,
    `${renderSamplePrefix(samples.count, labelText)} `,
  );
  series.prefixes = { name, bounds, lines };
  return lines;
}

/** Cumulative `_bucket` lines ending in `+Inf` (equal to `_count`), then `_sum` and `_count`. */
function writeBuckets(
  prefixes: readonly string[],
  counts: readonly number[],
  count: number,
  sum: number | undefined,
  suffix: string,
  format: SampleFormat,
  exemplars: readonly (Exemplar | undefined)[] | undefined,
): string {
  const bucketCount = prefixes.length - 3; // finite bounds; then +Inf, _sum, _count
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < bucketCount; i++) {
    cumulative += counts[i] ?? 0;
    const exemplar = format.openMetrics ? exemplarText(exemplars?.[i]) : '';
    out += `${prefixes[i]!}${formatFloat(cumulative)}${suffix}${exemplar}\n`;
  }
  cumulative += counts[bucketCount] ?? 0;
  // +Inf and _count are one number; should the two disagree, the larger keeps buckets monotonic.
  const total = formatFloat(Math.max(cumulative, count));
  const infExemplar = format.openMetrics ? exemplarText(exemplars?.[bucketCount]) : '';
  out += `${prefixes[bucketCount]!}${total}${suffix}${infExemplar}\n`;
  if (sum !== undefined) out += `${prefixes[bucketCount + 1]!}${formatFloat(sum)}${suffix}\n`;
  out += `${prefixes[bucketCount + 2]!}${total}${suffix}\n`;
  return out;
}

function withLabel(labelText: string, name: string, value: string): string {
  return labelText === '' ? `${name}="${value}"` : `${labelText},${name}="${value}"`;
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
