import type { OtelMetric } from '../otelData/otelData.ts';

/** A family's HELP text, and whether the bridge wrote it because the metric has no description. */
export interface FamilyHelp {
  readonly text: string;
  /** True when `text` is the fallback: a later metric of the family with a description replaces it. */
  readonly fallback: boolean;
}

/** The OpenTelemetry data point kinds, in the words of the OpenTelemetry data model. */
const KIND_WORDS = {
  gauge: 'gauge',
  histogram: 'histogram',
  exponentialHistogram: 'exponential histogram',
  summary: 'summary',
} as const;

/**
 * The HELP text of a metric's family: its description, or, when it has none (so that every family
 * has a HELP line, as `promtool check metrics` asks), one built from what the bridge knows of it —
 * its OpenTelemetry name (before translation), its point kind and its UCUM unit:
 * `http.server.duration (OpenTelemetry histogram, unit ms; no description given)`.
 */
export function buildFamilyHelp(metric: Pick<OtelMetric, 'name' | 'unit' | 'description'> & MetricKind): FamilyHelp {
  if (metric.description !== '') return { text: metric.description, fallback: false };
  return { text: buildFallbackHelp(metric), fallback: true };
}

type MetricKind = { readonly kind: 'sum'; readonly monotonic: boolean } | { readonly kind: Exclude<OtelMetric['kind'], 'sum'> };

/** The fallback alone: `<OpenTelemetry name> (OpenTelemetry <kind>[, unit <unit>]; no description given)`. */
export function buildFallbackHelp(metric: Pick<OtelMetric, 'name' | 'unit'> & MetricKind): string {
  const kind = metric.kind === 'sum' ? (metric.monotonic ? 'monotonic sum' : 'non-monotonic sum') : KIND_WORDS[metric.kind];
  const unit = metric.unit === '' ? '' : `, unit ${metric.unit}`;
  return `${metric.name} (OpenTelemetry ${kind}${unit}; no description given)`;
}
