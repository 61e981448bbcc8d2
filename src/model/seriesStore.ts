import { renderLabelText } from '../exposition/escape.ts';
import { buildLabelPairs, type ContextLabels, type LabelPairs } from '../translate/labelSet.ts';
import { buildMetricName, type NamingKind } from '../translate/metricName.ts';
import {
  buildJobAndInstance,
  buildPromotedLabels,
  buildTargetInfoAttributes,
  type ResourceAttributePromotion,
} from '../translate/resourceLabels.ts';
import { buildScopeLabels } from '../translate/scopeLabels.ts';
import { addsSuffixes, escapesNames, type TranslationStrategy } from '../translate/translationStrategy.ts';
import { buildUnitName } from '../translate/unitSuffix.ts';
import type { DropCounter } from './dropCounter.ts';
import type { Family, MetricType, Series, SeriesData } from './family.ts';
import { FamilyIndex } from './familyIndex.ts';
import { openMetricsFamilyName } from './familyNames.ts';
import { assignExemplarsToBuckets } from './bucketExemplars.ts';
import type { HistogramPoint, OtelMetric, ResourceMetrics } from './otelData.ts';

/** How OpenTelemetry data becomes Prometheus families; every field has its default filled in. */
export interface TranslationSettings {
  readonly strategy: TranslationStrategy;
  /** Prefix for every metric name (`otel` gives `otel_http_server_requests_total`), '' for none. */
  readonly namespace: string;
  readonly withScopeLabels: boolean;
  readonly withTargetInfo: boolean;
  /** `job`/`instance` from the resource on every series (the sidecar's default). */
  readonly withJobAndInstance: boolean;
  readonly promoteResourceAttributes: ResourceAttributePromotion | undefined;
}

export const TARGET_INFO = 'target_info';

/**
 * The bridge's series: Prometheus families translated from OpenTelemetry data, ready to render.
 * Points replace the series they name (the in-process reader asks the SDK for cumulative data).
 */
export class SeriesStore {
  readonly #settings: TranslationSettings;
  readonly #drops: DropCounter;
  readonly #index: FamilyIndex;
  readonly #escape: boolean;
  #generation = 0;

  constructor(settings: TranslationSettings, drops: DropCounter) {
    this.#settings = settings;
    this.#drops = drops;
    this.#index = new FamilyIndex(drops);
    this.#escape = escapesNames(settings.strategy);
  }

  /** Forgets every series (the in-process snapshot is replaced whole on each collection). */
  clear(): void {
    this.#index.clear();
  }

  families(): Family[] {
    return this.#index.sorted();
  }

  /** Applies one resource's metrics; within one call a series written twice keeps its first point. */
  apply(resourceMetrics: ResourceMetrics): void {
    const generation = ++this.#generation;
    const settings = this.#settings;
    const resource = resourceMetrics.resource.attributes;
    const identity = settings.withJobAndInstance ? buildJobAndInstance(resource) : [];
    const now = Date.now();

    if (settings.withTargetInfo) {
      const attributes = buildTargetInfoAttributes(resource, settings.withJobAndInstance);
      const family = attributes && this.#index.familyFor(TARGET_INFO, 'gauge', 'Target metadata', '', 'the resource');
      if (family && attributes) {
        const labels = buildLabelPairs(attributes, { defaults: [], overrides: identity }, this.#labelOptions());
        this.#write(family, labels, { kind: 'number', value: 1 }, now, undefined, generation);
      }
    }

    const promoted = buildPromotedLabels(resource, settings.promoteResourceAttributes, this.#escape);
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      const scopeLabels = settings.withScopeLabels ? buildScopeLabels(scope, this.#escape) : [];
      const context: ContextLabels = { defaults: promoted, overrides: [...scopeLabels, ...identity] };
      for (const metric of metrics) this.#applyMetric(metric, context, generation);
    }
  }

  #applyMetric(metric: OtelMetric, context: ContextLabels, generation: number): void {
    const type = metricTypeOf(metric);
    const kind: NamingKind = type === 'counter' ? 'counter' : metric.kind === 'gauge' ? 'gauge' : 'other';
    const settings = this.#settings;
    const namespace = settings.namespace === '' ? undefined : settings.namespace;
    const name = buildMetricName({ name: metric.name, unit: metric.unit, kind }, { strategy: settings.strategy, namespace });
    if (name === undefined) {
      this.#drops.drop('invalid_metric_name', `metric ${JSON.stringify(metric.name)} has no valid characters`);
      return;
    }
    const family = this.#index.familyFor(name, type, metric.description, this.#unitFor(name, type, metric), `metric ${JSON.stringify(metric.name)}`);
    if (family === undefined) return;

    const labelOptions = this.#labelOptions(type === 'histogram' ? 'le' : type === 'summary' ? 'quantile' : undefined);
    for (const point of metric.points) {
      const labels = buildLabelPairs(point.attributes, context, labelOptions);
      if (point.noRecordedValue) {
        family.series.delete(renderLabelText(labels));
        continue;
      }
      this.#write(family, labels, seriesDataOf(metric, point), point.timeMs, point.startTimeMs, generation);
    }
  }

  #write(family: Family, labels: LabelPairs, data: SeriesData, timeMs: number, startTimeMs: number | undefined, generation: number): void {
    const labelText = renderLabelText(labels);
    const existing = family.series.get(labelText);
    if (existing !== undefined) {
      if (existing.generation === generation) {
        this.#drops.drop('duplicate_series', `${family.name}{${labelText}} appears twice`);
        return;
      }
      existing.data = data;
      existing.timeMs = timeMs;
      existing.startTimeMs = startTimeMs;
      existing.generation = generation;
      return;
    }
    const series: Series = { labels, labelText, data, timeMs, startTimeMs, generation };
    family.series.set(labelText, series);
  }

  #labelOptions(reserved?: string) {
    return {
      escape: this.#escape,
      reserved,
      onDrop: (reason: 'invalid_label_name' | 'reserved_label_name', key: string) =>
        this.#drops.drop(reason, `attribute ${JSON.stringify(key)} cannot be a label name`),
    };
  }

  /** The OpenMetrics unit, only where the name carries it as its suffix. */
  #unitFor(name: string, type: MetricType, metric: OtelMetric): string {
    if (!addsSuffixes(this.#settings.strategy)) return '';
    const unit = buildUnitName(metric.unit, metric.kind === 'gauge' && metric.unit === '1');
    const familyName = openMetricsFamilyName(name, type);
    return unit !== '' && familyName.endsWith(`_${unit}`) ? unit : '';
  }
}

export function metricTypeOf(metric: OtelMetric): MetricType {
  switch (metric.kind) {
    case 'sum':
      return metric.monotonic ? 'counter' : 'gauge';
    case 'gauge':
      return 'gauge';
    case 'histogram':
    case 'exponentialHistogram':
      return 'histogram';
    case 'summary':
      return 'summary';
  }
}

function seriesDataOf(metric: OtelMetric, point: OtelMetric['points'][number]): SeriesData {
  switch (metric.kind) {
    case 'sum':
    case 'gauge': {
      const p = point as (typeof metric.points)[number];
      return { kind: 'number', value: p.value, exemplar: p.exemplars?.at(-1) };
    }
    case 'histogram': {
      const p = point as HistogramPoint;
      return { kind: 'histogram', bounds: p.bounds, counts: p.counts, count: p.count, sum: p.sum, exemplars: p.exemplars?.length ? assignExemplarsToBuckets(p.exemplars, p.bounds) : undefined };
    }
    case 'exponentialHistogram': {
      const p = point as (typeof metric.points)[number];
      return {
        kind: 'exponentialHistogram',
        scale: p.scale,
        zeroCount: p.zeroCount,
        zeroThreshold: p.zeroThreshold,
        positive: p.positive,
        negative: p.negative,
        count: p.count,
        sum: p.sum,
        exemplars: p.exemplars,
      };
    }
    case 'summary': {
      const p = point as (typeof metric.points)[number];
      return { kind: 'summary', quantiles: p.quantiles, count: p.count, sum: p.sum };
    }
  }
}
