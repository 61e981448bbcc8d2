import type { Family, Series } from '../model/family.ts';
import { assignExemplarsToBuckets } from '../model/bucketExemplars.ts';
import { openMetricsFamilyName } from '../model/familyNames.ts';
import type { Exemplar } from '../model/otelData.ts';
import { toClassicBuckets } from '../translate/exponentialBuckets.ts';
import { escapeHelp, escapeLabelValue, renderMetadataName, renderSeriesPrefix } from './escape.ts';
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
  for (const series of family.series.values()) out += writeSeries(family, series, format);
  return out;
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

function writeSeries(family: Family, series: Series, format: SampleFormat): string {
  const data = series.data;
  const suffix = timestampSuffix(series.timeMs, format);
  const labelText = series.labelText;
  switch (data.kind) {
    case 'number': {
      const sampleName = format.openMetrics && family.type === 'counter' ? `${openMetricsFamilyName(family.name, 'counter')}_total` : family.name;
      const exemplar = format.openMetrics && family.type === 'counter' ? exemplarText(data.exemplar) : '';
      return `${renderSeriesPrefix(sampleName, labelText)} ${formatFloat(data.value)}${suffix}${exemplar}\n`;
    }
    case 'histogram':
      return writeBuckets(family.name, labelText, data.bounds, data.counts, data.count, data.sum, suffix, format, data.exemplars);
    case 'exponentialHistogram': {
      const { bounds, counts } = toClassicBuckets(data, format.maxExponentialBuckets);
      const exemplars = data.exemplars && assignExemplarsToBuckets(data.exemplars, bounds);
      return writeBuckets(family.name, labelText, bounds, counts, data.count, data.sum, suffix, format, exemplars);
    }
    case 'summary': {
      let out = '';
      for (const { quantile, value } of data.quantiles) {
        out += `${renderSeriesPrefix(family.name, withLabel(labelText, 'quantile', formatFloat(quantile)))} ${formatFloat(value)}${suffix}\n`;
      }
      out += `${renderSeriesPrefix(`${family.name}_sum`, labelText)} ${formatFloat(data.sum)}${suffix}\n`;
      out += `${renderSeriesPrefix(`${family.name}_count`, labelText)} ${formatFloat(data.count)}${suffix}\n`;
      return out;
    }
  }
}

/** Cumulative `_bucket` lines ending in `+Inf` (equal to `_count`), then `_sum` and `_count`. */
function writeBuckets(
  name: string,
  labelText: string,
  bounds: readonly number[],
  counts: readonly number[],
  count: number,
  sum: number | undefined,
  suffix: string,
  format: SampleFormat,
  exemplars: readonly (Exemplar | undefined)[] | undefined,
): string {
  const bucketName = `${name}_bucket`;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    cumulative += counts[i] ?? 0;
    const exemplar = format.openMetrics ? exemplarText(exemplars?.[i]) : '';
    out += `${renderSeriesPrefix(bucketName, withLabel(labelText, 'le', formatFloat(bounds[i]!)))} ${formatFloat(cumulative)}${suffix}${exemplar}\n`;
  }
  cumulative += counts[bounds.length] ?? 0;
  // +Inf and _count are one number; should the two disagree, the larger keeps buckets monotonic.
  const total = Math.max(cumulative, count);
  const infExemplar = format.openMetrics ? exemplarText(exemplars?.[bounds.length]) : '';
  out += `${renderSeriesPrefix(bucketName, withLabel(labelText, 'le', '+Inf'))} ${formatFloat(total)}${suffix}${infExemplar}\n`;
  if (sum !== undefined) out += `${renderSeriesPrefix(`${name}_sum`, labelText)} ${formatFloat(sum)}${suffix}\n`;
  out += `${renderSeriesPrefix(`${name}_count`, labelText)} ${formatFloat(total)}${suffix}\n`;
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
