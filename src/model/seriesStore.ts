import { renderLabelText } from '../exposition/escape.ts';
import { buildLabelPairs, type ContextLabels, type LabelPairs, type LabelSetOptions } from '../translate/labelSet.ts';
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
import { ApplyTally, type ApplyResult } from './applyResult.ts';
import type { DropCounter, DropReason } from './dropCounter.ts';
import { ExpirySweeper } from './expirySweeper.ts';
import type { Family, MetricType, SeriesData } from './family.ts';
import { FamilyIndex } from './familyIndex.ts';
import { openMetricsFamilyName } from './familyNames.ts';
import { LabelBuilders, LabelCache, type LabelTexts } from './labelCache.ts';
import { metricTypeOf, temporalityOf } from './metricKinds.ts';
import type { Attributes, OtelMetric, ResourceMetrics, Temporality } from './otelData.ts';
import { findPointProblem } from './pointProblem.ts';
import { countSeriesByJobAndInstance, type JobInstanceSeries } from './seriesByJobAndInstance.ts';
import { sameSeriesData } from './sameSeriesData.ts';
import { buildSeriesData } from './seriesData.ts';
import { resolveStoreOptions, type ResolvedStoreOptions, type SeriesStoreOptions } from './storeOptions.ts';
import { StoredSeries, TargetInfoSeries } from './storedSeries.ts';
import { updateSeries, type PointTimes } from './updateSeries.ts';
import { WriteStamps } from './writeStamp.ts';

export type { ApplyResult } from './applyResult.ts';
export { metricTypeOf } from './metricKinds.ts';
export { DEFAULT_METRIC_EXPIRATION_MS, DEFAULT_SIDECAR_MAX_SERIES, type SeriesStoreOptions } from './storeOptions.ts';

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

/** One apply's shared state: its generation (duplicate detection), receive time, stamps and tally. */
interface Batch {
  readonly generation: number;
  readonly receivedAtMs: number;
  /** What the series this apply writes are stamped with (shared between series). */
  readonly stamps: WriteStamps;
  readonly tally: ApplyTally;
  /**
   * Set by `replaceWith`: label texts come from the cache by attributes object, and series of the
   * previous snapshot (in families taken over) are written over as new ones.
   */
  readonly snapshotLabels: LabelCache | undefined;
}

/** One metric's destination and rules, worked out once for all its points. */
interface MetricTarget {
  readonly metric: OtelMetric;
  readonly family: Family<StoredSeries>;
  /** Label text for the points' attributes: cached by attributes object under `replaceWith`, built otherwise. */
  readonly labels: LabelTexts;
  readonly temporality: Temporality;
  /** Values only grow (counters; histogram and summary counts): a lower one is a reset. */
  readonly monotonic: boolean;
}

/**
 * The bridge's series: Prometheus families translated from OpenTelemetry data, ready to render,
 * for one process (in-process: `replaceWith()` per collection) or for many pushing resources
 * (the sidecar: `apply()` per request, `sweep()` on a timer).
 *
 * - Delta sums, histograms and exponential histograms accumulate into cumulative series; a delta
 *   range that starts before the end of the last one accepted is refused (`out_of_order`).
 * - Cumulative points (and gauges, summaries) replace the series; one older than the stored point
 *   is refused (`out_of_order`); a reset (new start time, lower value) simply starts it over.
 * - `maxSeries` bounds the metric series (`cardinality_limit`); `sweep` removes series not updated
 *   for `metricExpirationMs`, empty families, and `target_info` of resources gone quiet.
 * - Invalid points are refused one by one (`invalid_point`); every refusal is counted in the
 *   DropCounter by reason and reported in the apply result.
 * - `target_info`: one series per job/instance (with `withJobAndInstance`), the latest resource's
 *   attributes replacing the previous ones; it is refreshed by every apply of that resource.
 */
export class SeriesStore {
  readonly #settings: TranslationSettings;
  readonly #drops: DropCounter;
  #index: FamilyIndex<StoredSeries>;
  readonly #escape: boolean;
  readonly #options: ResolvedStoreOptions;
  /** Resource identity (job/instance label text, or the target_info label text without them) → its target_info series. */
  readonly #targetInfos = new Map<string, string>();
  readonly #sweeper = new ExpirySweeper(() => this.sweep());
  readonly #plainLabels: LabelSetOptions;
  readonly #histogramLabels: LabelSetOptions;
  readonly #summaryLabels: LabelSetOptions;
  readonly #labelCache = new LabelCache();
  readonly #labelBuilders = new LabelBuilders();
  #generation = 0;
  #seriesCount = 0;

  constructor(settings: TranslationSettings, drops: DropCounter, options?: SeriesStoreOptions) {
    this.#settings = settings;
    this.#drops = drops;
    this.#index = new FamilyIndex(drops);
    this.#escape = escapesNames(settings.strategy);
    this.#options = resolveStoreOptions(options);
    this.#plainLabels = this.#buildLabelOptions(undefined);
    this.#histogramLabels = this.#buildLabelOptions('le');
    this.#summaryLabels = this.#buildLabelOptions('quantile');
  }

  /** Forgets every series. */
  clear(): void {
    this.#startSnapshot(undefined);
  }

  /** An empty index; `previous`: one whose families the new one takes over, series and all. */
  #startSnapshot(previous: FamilyIndex<StoredSeries> | undefined): void {
    this.#index = new FamilyIndex(this.#drops, previous);
    this.#targetInfos.clear();
    this.#seriesCount = 0;
  }

  /** The families to render, sorted by name (live: render them before the next apply). */
  families(): Family[] {
    return this.#index.sorted();
  }

  /** Metric series held now (`target_info` not counted): what `maxSeries` bounds. */
  seriesCount(): number {
    return this.#seriesCount;
  }

  /** Metric series held per `job`/`instance` pair (`target_info` not counted). Walks every series: for status pages, not ingest. */
  seriesByJobAndInstance(): Map<string, JobInstanceSeries> {
    return countSeriesByJobAndInstance(this.#index.values(), TARGET_INFO);
  }

  /**
   * Replaces every series with one resource's metrics: the result is what `clear()` then `apply()`
   * gives (conflicts decided and duplicates found within this collection alone, the same drops
   * counted), built without redoing what has not changed since the last collection. Families
   * claimed again under the same name and type are taken over with their series maps, and series
   * the new data names again are written over in place (keeping their data object when their
   * numbers did not change); label text comes from a cache keyed by the attributes object, which
   * the SDK hands back unchanged on every collection. Series the new data does not name are
   * removed at the end, families it does not claim are left behind with the previous index. For
   * the in-process readers, whose SDK reports every series on each collection.
   */
  replaceWith(resourceMetrics: ResourceMetrics, receivedAtMs: number = this.#options.clock()): ApplyResult {
    this.#startSnapshot(this.#index);
    this.#labelCache.startCollection();
    const tally = new ApplyTally();
    const generation = this.#applyResource(resourceMetrics, receivedAtMs, tally, this.#labelCache);
    this.#index.forgetPrevious();
    for (const family of this.#index.values()) {
      for (const series of family.series.values()) if (series.written.generation !== generation) family.series.delete(series.labelText);
    }
    return tally.result();
  }

  /**
   * Applies one resource's metrics, received at `receivedAtMs` (what expiry measures from). Points
   * are refused one by one; the rest is kept. Within one apply a series written twice at one time
   * keeps its first point.
   */
  apply(resourceMetrics: ResourceMetrics, receivedAtMs: number = this.#options.clock()): ApplyResult {
    const tally = new ApplyTally();
    this.#applyResource(resourceMetrics, receivedAtMs, tally, undefined);
    return tally.result();
  }

  /** Applies every resource of one request (OTLP's `resource_metrics`), with one result for all. */
  applyAll(resourceMetrics: readonly ResourceMetrics[], receivedAtMs: number = this.#options.clock()): ApplyResult {
    const tally = new ApplyTally();
    for (const one of resourceMetrics) this.#applyResource(one, receivedAtMs, tally, undefined);
    return tally.result();
  }

  /**
   * Removes the series no point has updated for `metricExpirationMs` (by `nowMs`), then families
   * left empty (their names are free again) and the `target_info` of resources that stopped
   * pushing. Returns how many metric series were removed (`target_info` not counted).
   */
  sweep(nowMs: number = this.#options.clock()): number {
    const cutoff = nowMs - this.#options.metricExpirationMs;
    this.#labelBuilders.clear(); // with the label texts kept for series that may go now
    let removed = 0;
    for (const family of this.#index.values()) {
      removed += this.#sweepFamily(family, cutoff);
      if (family.series.size === 0) this.#index.delete(family.name);
    }
    return removed;
  }

  /**
   * Calls `sweep()` every `intervalMs` (default a tenth of `metricExpirationMs`) on an unref'd
   * timer until `stopExpirySweep()`; calling it again replaces the interval.
   */
  startExpirySweep(intervalMs: number = this.#options.metricExpirationMs / 10): void {
    this.#sweeper.start(intervalMs);
  }

  stopExpirySweep(): void {
    this.#sweeper.stop();
  }

  /** Returns the apply's generation. */
  #applyResource(resourceMetrics: ResourceMetrics, receivedAtMs: number, tally: ApplyTally, snapshotLabels: LabelCache | undefined): number {
    const generation = ++this.#generation;
    const batch: Batch = { generation, receivedAtMs, stamps: new WriteStamps(generation, receivedAtMs), tally, snapshotLabels };
    const settings = this.#settings;
    const resource = resourceMetrics.resource.attributes;
    const identity = settings.withJobAndInstance ? buildJobAndInstance(resource) : [];
    if (settings.withTargetInfo) this.#writeTargetInfo(resource, identity, batch);

    const promoted = buildPromotedLabels(resource, settings.promoteResourceAttributes, this.#escape);
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      const scopeLabels = settings.withScopeLabels ? buildScopeLabels(scope, this.#escape) : [];
      const context: ContextLabels = { defaults: promoted, overrides: [...scopeLabels, ...identity] };
      for (const metric of metrics) this.#applyMetric(metric, context, batch);
    }
    return generation;
  }

  /** One `target_info` per resource identity: new attributes replace the previous series. */
  #writeTargetInfo(resource: Attributes, identity: LabelPairs, batch: Batch): void {
    const withIdentity = this.#settings.withJobAndInstance;
    const identityKey = withIdentity ? renderLabelText(identity) : undefined;
    const attributes = buildTargetInfoAttributes(resource, withIdentity);
    const family = attributes && this.#index.familyFor(TARGET_INFO, 'gauge', 'Target metadata', '', 'the resource');
    if (attributes === undefined || family === undefined) {
      if (identityKey !== undefined) this.#forgetTargetInfo(identityKey);
      return;
    }
    const labels = buildLabelPairs(attributes, { defaults: [], overrides: identity }, this.#plainLabels);
    const labelText = renderLabelText(labels);
    const key = identityKey ?? labelText;
    const previous = this.#targetInfos.get(key);
    if (previous !== labelText) {
      if (previous !== undefined) family.series.delete(previous);
      this.#targetInfos.set(key, labelText);
    }
    const stamp = batch.stamps.stampFor(batch.receivedAtMs, 'cumulative');
    const existing = family.series.get(labelText);
    if (existing !== undefined) {
      existing.written = stamp;
      return;
    }
    family.series.set(labelText, new TargetInfoSeries(labelText, stamp, key));
  }

  #forgetTargetInfo(key: string): void {
    const labelText = this.#targetInfos.get(key);
    if (labelText === undefined) return;
    this.#targetInfos.delete(key);
    this.#index.get(TARGET_INFO)?.series.delete(labelText);
  }

  #applyMetric(metric: OtelMetric, context: ContextLabels, batch: Batch): void {
    const type = metricTypeOf(metric);
    const family = this.#familyOf(metric, type, batch);
    if (family === undefined) return;
    const labelOptions = type === 'histogram' ? this.#histogramLabels : type === 'summary' ? this.#summaryLabels : this.#plainLabels;
    const snapshotLabels = batch.snapshotLabels;
    const target: MetricTarget = {
      metric,
      family,
      labels: snapshotLabels === undefined ? this.#labelBuilders.builderFor(context, labelOptions) : snapshotLabels.labelsOf(context, labelOptions),
      temporality: temporalityOf(metric),
      monotonic: type !== 'gauge',
    };
    for (const point of metric.points) this.#applyPoint(target, point, batch);
  }

  /** The metric's family; undefined (its points refused and counted) when its name is invalid or taken. */
  #familyOf(metric: OtelMetric, type: MetricType, batch: Batch): Family<StoredSeries> | undefined {
    const kind: NamingKind = type === 'counter' ? 'counter' : metric.kind === 'gauge' ? 'gauge' : 'other';
    const settings = this.#settings;
    const namespace = settings.namespace === '' ? undefined : settings.namespace;
    const name = buildMetricName({ name: metric.name, unit: metric.unit, kind }, { strategy: settings.strategy, namespace });
    const points = metric.points.length;
    if (name === undefined) {
      this.#refuse('invalid_metric_name', `${describeMetric(metric)} has no valid characters`, batch, points);
      return undefined;
    }
    const claimed = this.#index.claim(name, type, metric.description, this.#unitFor(name, type, metric), describeMetric(metric), points);
    if (typeof claimed !== 'string') return claimed;
    if (points > 0) batch.tally.reject(claimed, points); // counted by the index already
    return undefined;
  }

  #applyPoint(target: MetricTarget, point: OtelMetric['points'][number], batch: Batch): void {
    const { metric, family } = target;
    if (point.noRecordedValue) {
      const labelText = target.labels.labelTextOf(point.attributes);
      const existing = family.series.get(labelText);
      // A series of the previous snapshot is not in this one; it goes at the end of `replaceWith`.
      if (existing !== undefined && !isFromPreviousSnapshot(existing, batch)) this.#removeSeries(family, labelText);
      batch.tally.accept();
      return;
    }
    const problem = findPointProblem(metric, point);
    if (problem !== undefined) {
      this.#refuse('invalid_point', `${describeMetric(metric)}: ${problem}`, batch);
      return;
    }
    const labelText = target.labels.labelTextOf(point.attributes);
    const data = buildSeriesData(metric, point);
    const existing = family.series.get(labelText);
    if (existing === undefined || isFromPreviousSnapshot(existing, batch)) {
      this.#createSeries(target, labelText, data, point, batch, existing);
      return;
    }
    const refusal = updateSeries(existing, data, point, batch.stamps.stampFor(point.timeMs, target.temporality), target.monotonic);
    if (refusal !== undefined) {
      this.#refuse(refusal, refusalMessage(refusal, metric, family.name, labelText), batch);
      return;
    }
    batch.tally.accept();
  }

  /** A new series, or (`recycled`) the previous snapshot's series of that label text written over as a new one. */
  #createSeries(target: MetricTarget, labelText: string, data: SeriesData, times: PointTimes, batch: Batch, recycled: StoredSeries | undefined): void {
    if (this.#seriesCount >= this.#options.maxSeries) {
      const message = `${describeMetric(target.metric)}: the limit of ${this.#options.maxSeries} series is reached, new series are refused`;
      this.#refuse('cardinality_limit', message, batch);
      return;
    }
    const stamp = batch.stamps.stampFor(times.timeMs, target.temporality);
    if (recycled !== undefined && !(recycled instanceof TargetInfoSeries)) {
      // Written over as a new one would be, its data object kept when its numbers did not change
      // (the exposition may have its text already).
      if (!sameSeriesData(recycled.data, data)) recycled.data = data;
      recycled.startTimeMs = times.startTimeMs;
      recycled.written = stamp;
      this.#seriesCount++;
      batch.tally.accept();
      return;
    }
    target.family.series.set(labelText, new StoredSeries(labelText, data, times.startTimeMs, stamp));
    this.#seriesCount++;
    batch.tally.accept();
  }

  /** Counts the refusal by reason (logged once per distinct message) and reports it to the sender. */
  #refuse(reason: DropReason, message: string, batch: Batch, points = 1): void {
    this.#drops.drop(reason, message, points);
    if (points > 0) batch.tally.reject(message, points);
  }

  #removeSeries(family: Family<StoredSeries>, labelText: string): void {
    const series = family.series.get(labelText);
    if (series === undefined) return;
    family.series.delete(labelText);
    if (series instanceof TargetInfoSeries) this.#targetInfos.delete(series.targetInfoKey);
    else this.#seriesCount--;
  }

  /** Removes the family's series last updated at or before `cutoff`; returns how many metric series went. */
  #sweepFamily(family: Family<StoredSeries>, cutoff: number): number {
    const before = this.#seriesCount;
    for (const series of family.series.values()) {
      if (series.updatedAtMs <= cutoff) this.#removeSeries(family, series.labelText);
    }
    return before - this.#seriesCount;
  }

  #buildLabelOptions(reserved: string | undefined): LabelSetOptions {
    return {
      escape: this.#escape,
      reserved,
      onDrop: (reason, key) => this.#drops.drop(reason, `attribute ${JSON.stringify(key)} cannot be a label name`),
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

/** Under `replaceWith`: a series of a family taken over that this collection has not written (yet). */
function isFromPreviousSnapshot(series: StoredSeries, batch: Batch): boolean {
  return batch.snapshotLabels !== undefined && series.written.generation !== batch.generation;
}

function refusalMessage(refusal: 'duplicate_series' | 'out_of_order', metric: OtelMetric, familyName: string, labelText: string): string {
  return refusal === 'duplicate_series'
    ? `${describeMetric(metric)}: two points for the series ${familyName}{${labelText}} at one time`
    : `${describeMetric(metric)}: a point older than the last one accepted for its series, or a delta overlapping it (out of order)`;
}

/** How messages name a metric: by its OpenTelemetry name, which the sender knows (no JSON on the hot path). */
function describeMetric(metric: OtelMetric): string {
  return `metric "${metric.name}"`;
}
