import { renderLabelText } from '../translate/labelText.ts';
import type { LabelNaming } from '../translate/labelName.ts';
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
import { fingerprintOf, MAX_REMEMBERED_WINDOWS } from './deltaWindows.ts';
import type { DropCounter, DropReason } from './dropCounter.ts';
import { ExpirySweeper } from './expirySweeper.ts';
import type { Family, MetricType, SeriesData } from './family.ts';
import { FamilyIndex } from './familyIndex.ts';
import { openMetricsFamilyName } from './familyNames.ts';
import { LabelBuilders, LabelCache, type LabelTexts } from '../translate/labelCache.ts';
import type { KeepsText } from '../translate/labelTextBuilder.ts';
import { metricTypeOf, temporalityOf } from './metricKinds.ts';
import type { Attributes, OtelMetric, ResourceMetrics } from '../otelData/otelData.ts';
import { findPointProblem } from './pointProblem.ts';
import { countSeriesByJobAndInstance, type JobInstanceSeries } from './seriesByJobAndInstance.ts';
import { sameSeriesData } from './sameSeriesData.ts';
import { buildSeriesData } from './seriesData.ts';
import { resolveStoreOptions, type ResolvedStoreOptions, type SeriesStoreOptions } from './storeOptions.ts';
import { PushedDeltaSeries, StoredSeries, TargetInfoSeries } from './storedSeries.ts';
import { updateSeries, type PointRules, type PointTimes, type UpdateRefusal } from './updateSeries.ts';
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
  /** Runs of `_` in attribute keys kept when escaping (Prometheus' `label_name_preserve_multiple_underscores`). */
  readonly labelNamePreserveMultipleUnderscores: boolean;
  /** `_foo` → `key_foo` when escaping (Prometheus' `label_name_underscore_sanitization`). */
  readonly labelNameUnderscoreSanitization: boolean;
}

export const TARGET_INFO = 'target_info';

/** One apply's shared state: its generation (duplicate detection), receive time, stamps and tally. */
interface Batch {
  readonly generation: number;
  readonly receivedAtMs: number;
  /** What the series this apply writes are stamped with (shared between series). */
  readonly stamps: WriteStamps;
  readonly tally: ApplyTally;
  /** The resource applied, and the job/instance labels it gives (none without `withJobAndInstance`). */
  readonly resource: Attributes;
  readonly identity: LabelPairs;
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
  /** Whether a label text not kept yet is worth keeping: its series exists, or may be created (below `maxSeries`). */
  readonly keepsText: KeepsText;
  readonly rules: PointRules;
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
 * - Invalid points are refused one by one (`invalid_point`), and so are points with an attribute
 *   key that cannot be a label name (`invalid_label_name`: empty, or only underscores once
 *   escaped), as Prometheus refuses them; every refusal is counted in the DropCounter by reason and
 *   reported in the apply result.
 * - `target_info`: one series per job/instance (with `withJobAndInstance`), the latest resource's
 *   attributes replacing the previous ones; it is refreshed by every apply of that resource.
 */
export class SeriesStore {
  readonly #settings: TranslationSettings;
  readonly #drops: DropCounter;
  #index: FamilyIndex<StoredSeries>;
  readonly #naming: LabelNaming;
  readonly #options: ResolvedStoreOptions;
  /** Resource identity (job/instance label text, or the target_info label text without them) → its target_info series. */
  readonly #targetInfos = new Map<string, string>();
  readonly #sweeper = new ExpirySweeper(() => this.sweep());
  readonly #plainLabels: LabelSetOptions;
  readonly #histogramLabels: LabelSetOptions;
  readonly #summaryLabels: LabelSetOptions;
  /** For `target_info`: a resource attribute key that cannot be a label name is left out and counted. */
  readonly #targetInfoLabels: LabelSetOptions;
  /**
   * The first attribute key that cannot be a label name met while building a point's label text
   * (the label options' `onDrop` sets it); the point is refused, as Prometheus refuses it.
   */
  #unnamableKey: string | undefined;
  readonly #labelCache = new LabelCache();
  readonly #labelBuilders = new LabelBuilders(() => this.#seriesCount);
  #generation = 0;
  #retriedDeltaPoints = 0;
  #seriesCount = 0;

  constructor(settings: TranslationSettings, drops: DropCounter, options?: SeriesStoreOptions) {
    this.#settings = settings;
    this.#drops = drops;
    this.#index = new FamilyIndex(drops);
    this.#naming = {
      escape: escapesNames(settings.strategy),
      preserveMultipleUnderscores: settings.labelNamePreserveMultipleUnderscores,
      underscoreSanitization: settings.labelNameUnderscoreSanitization,
    };
    this.#options = resolveStoreOptions(options);
    this.#plainLabels = this.#buildLabelOptions(undefined);
    this.#histogramLabels = this.#buildLabelOptions('le');
    this.#summaryLabels = this.#buildLabelOptions('quantile');
    this.#targetInfoLabels = {
      ...this.#naming,
      onDrop: (reason, key) => this.#drops.drop(reason, `resource attribute ${JSON.stringify(key)} cannot be a label name of target_info`),
    };
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

  /** Delta points left out because their window had been added to their series already (retried exports). */
  retriedDeltaPoints(): number {
    return this.#retriedDeltaPoints;
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
    const settings = this.#settings;
    const resource = resourceMetrics.resource.attributes;
    const identity = settings.withJobAndInstance ? buildJobAndInstance(resource) : [];
    const batch: Batch = { generation, receivedAtMs, stamps: new WriteStamps(generation, receivedAtMs), tally, resource, identity, snapshotLabels };
    if (settings.withTargetInfo) this.#writeTargetInfo(resource, identity, batch);

    const promoted = buildPromotedLabels(resource, settings.promoteResourceAttributes, this.#naming);
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      const scopeLabels = settings.withScopeLabels ? buildScopeLabels(scope, this.#naming) : [];
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
    const labels = buildLabelPairs(attributes, { defaults: [], overrides: identity }, this.#targetInfoLabels);
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
      keepsText: (labelText) => this.#unnamableKey === undefined && (this.#seriesCount < this.#options.maxSeries || family.series.has(labelText)),
      rules: { temporality: temporalityOf(metric), monotonic: type !== 'gauge', checksWriters: this.#options.pushed && metric.kind !== 'gauge' },
    };
    for (const point of metric.points) this.#applyPoint(target, point, batch);
    // Not kept empty until the sweep (its points all refused at the limit, say): a client sending
    // ever-new metric names would grow the index without bound.
    if (family.series.size === 0 && batch.snapshotLabels === undefined) this.#index.delete(family.name);
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
    const reserved = this.#options.reservedNames.takenBy(name, type);
    if (reserved !== undefined) {
      this.#refuse('reserved_name', `${describeMetric(metric)} as ${type} ${name} would take the name ${reserved}, which the bridge's own metrics use`, batch, points);
      return undefined;
    }
    const claimed = this.#index.claim(name, type, metric.description, this.#unitFor(name, type, metric), describeMetric(metric), points);
    if (!('refused' in claimed)) return claimed;
    if (points > 0) batch.tally.reject(claimed.refused, claimed.detail, points); // counted by the index already
    return undefined;
  }

  #applyPoint(target: MetricTarget, point: OtelMetric['points'][number], batch: Batch): void {
    const { metric, family } = target;
    if (point.noRecordedValue) {
      this.#unnamableKey = undefined;
      const labelText = target.labels.labelTextOf(point.attributes, KEEP_NONE);
      // With a key that cannot be a label name there is no such series (the text lacks that label).
      const existing = this.#unnamableKey === undefined ? family.series.get(labelText) : undefined;
      // A series of the previous snapshot is not in this one; it goes at the end of `replaceWith`.
      if (existing !== undefined && !isFromPreviousSnapshot(existing, batch)) this.#removeSeries(family, labelText);
      batch.tally.accept();
      return;
    }
    const problem = findPointProblem(metric, point);
    if (problem !== undefined) {
      this.#refuse('invalid_point', `${describeMetric(metric)}: ${problem}`, batch, 1, () => `${family.name}{${target.labels.labelTextOf(point.attributes, KEEP_NONE)}}`);
      return;
    }
    this.#unnamableKey = undefined;
    const labelText = target.labels.labelTextOf(point.attributes, target.keepsText);
    if (this.#unnamableKey !== undefined) {
      // Left out, the label could merge this point's series with another's: refused, as Prometheus does.
      this.#refuse('invalid_label_name', `${describeMetric(metric)}: attribute ${JSON.stringify(this.#unnamableKey)} cannot be a label name`, batch);
      return;
    }
    const data = buildSeriesData(metric, point);
    const existing = family.series.get(labelText);
    if (existing === undefined || isFromPreviousSnapshot(existing, batch)) {
      this.#createSeries(target, labelText, data, point, batch, existing);
      return;
    }
    if (this.#pushesDelta(target) && !(existing instanceof PushedDeltaSeries) && !(existing instanceof TargetInfoSeries) && !(point.timeMs < existing.timeMs)) {
      // A change of temporality starts the series over, as one that remembers its windows.
      family.series.set(labelText, this.#pushedDeltaSeries(labelText, data, point, batch));
      batch.tally.accept();
      return;
    }
    const outcome = updateSeries(existing, data, point, batch.stamps, target.rules);
    if (outcome === 'repeated') this.#retriedDeltaPoints++;
    else if (outcome !== 'written') {
      const problem = `${describeMetric(metric)}: ${REFUSAL_EXPLANATIONS[outcome]}`;
      // Several writers: one line per resource says what to do, rather than one per metric.
      const reason = outcome === 'too_late' ? 'out_of_order' : outcome;
      this.#refuse(reason, problem, batch, 1, () => `${family.name}{${labelText}}`, outcome === 'multiple_writers' ? describeSharedIdentity(batch) : problem);
      return;
    }
    batch.tally.accept();
  }

  /** A new series, or (`recycled`) the previous snapshot's series of that label text written over as a new one. */
  #createSeries(target: MetricTarget, labelText: string, data: SeriesData, times: PointTimes, batch: Batch, recycled: StoredSeries | undefined): void {
    if (this.#seriesCount >= this.#options.maxSeries) {
      const problem = `${describeMetric(target.metric)}: the limit of ${this.#options.maxSeries} series is reached, new series are refused`;
      this.#refuse('cardinality_limit', problem, batch, 1, () => `${target.family.name}{${labelText}}`);
      return;
    }
    if (this.#pushesDelta(target)) {
      target.family.series.set(labelText, this.#pushedDeltaSeries(labelText, data, times, batch));
      this.#seriesCount++;
      batch.tally.accept();
      return;
    }
    const stamp =
      target.rules.temporality === 'delta' ? batch.stamps.deltaStampFor(undefined, times.startTimeMs, times.timeMs) : batch.stamps.stampFor(times.timeMs, 'cumulative');
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

  /** Delta points from pushers: their series remember the values of their recent windows (retries are told by them). */
  #pushesDelta(target: MetricTarget): boolean {
    return this.#options.pushed && target.rules.temporality === 'delta';
  }

  #pushedDeltaSeries(labelText: string, data: SeriesData, times: PointTimes, batch: Batch): PushedDeltaSeries {
    const stamp = batch.stamps.deltaStampFor(undefined, times.startTimeMs, times.timeMs);
    return new PushedDeltaSeries(labelText, data, times.startTimeMs, stamp, fingerprintOf(data));
  }

  /**
   * Counts the refusal by reason and reports it to the sender: `problem` (the metric and what was
   * wrong) and the series it would have written (`nameSeries`). Logged once per distinct `logDetail` (the
   * problem, unless a coarser one says it better).
   */
  #refuse(reason: DropReason, problem: string, batch: Batch, points = 1, nameSeries?: () => string, logDetail = problem): void {
    this.#drops.drop(reason, logDetail, points);
    if (points > 0) batch.tally.reject(reason, problem, points, nameSeries);
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

  /** A key that cannot be a label name refuses the point (`#unnamableKey`); a reserved one (`le`, `__name__`) is left out and counted. */
  #buildLabelOptions(reserved: string | undefined): LabelSetOptions {
    return {
      ...this.#naming,
      reserved,
      onDrop: (reason, key) => {
        if (reason === 'invalid_label_name') this.#unnamableKey ??= key;
        else this.#drops.drop(reason, `attribute ${JSON.stringify(key)} cannot be a label name`);
      },
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

/** For points that create no series (removals, refusals): their label text is not kept. */
const KEEP_NONE: KeepsText = () => false;

/** Under `replaceWith`: a series of a family taken over that this collection has not written (yet). */
function isFromPreviousSnapshot(series: StoredSeries, batch: Batch): boolean {
  return batch.snapshotLabels !== undefined && series.written.generation !== batch.generation;
}

/** What each refusal of a point onto its series means, for the sender. */
const REFUSAL_EXPLANATIONS: Readonly<Record<UpdateRefusal, string>> = {
  duplicate_series: 'two points for the series at one time in one request',
  out_of_order: 'a point older than the last one accepted',
  too_late: `a delta window too old to tell whether it was added already (a series remembers its last ${MAX_REMEMBERED_WINDOWS})`,
  multiple_writers: 'a cumulative point that started before the series did: another writer pushes this series (give each writer a distinct service.instance.id)',
  non_monotonic: 'a cumulative value lower than the last one with the same start time (only a new start time says the count restarted)',
};

/** The warning for a resource whose series several writers push: who it is, and the fix. */
function describeSharedIdentity(batch: Batch): string {
  const service = batch.resource['service.name'];
  const who = batch.identity.length > 0 ? `{${renderLabelText(batch.identity)}}` : `with service.name ${JSON.stringify(String(service ?? ''))}`;
  return (
    `several writers push the same cumulative series as the resource ${who}, and the points of the one that started earlier are refused; ` +
    'give each writer a distinct service.instance.id (OTEL_RESOURCE_ATTRIBUTES=service.instance.id=<unique>)'
  );
}


/** How messages name a metric: by its OpenTelemetry name, which the sender knows (no JSON on the hot path). */
function describeMetric(metric: OtelMetric): string {
  return `metric "${metric.name}"`;
}
