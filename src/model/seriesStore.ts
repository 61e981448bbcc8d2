import type { LabelTexts } from '../translate/labelCache.ts';
import type { LabelLayout } from '../translate/labelLayout.ts';
import type { ContextLabels } from '../translate/labelPlan.ts';
import type { KeepsText } from '../translate/labelTextBuilder.ts';
import { MetricTranslator, TARGET_INFO, type TranslatedFamily, type TranslatedResource, type TranslationSettings } from '../translate/metricTranslator.ts';
import { temporalityOf } from '../translate/metricType.ts';
import { ApplyTally, type ApplyResult } from './applyResult.ts';
import { ChangeFeed, type FamilyLog, type FeedAnswer, type RemovedSeries, type WrittenSeries } from './changeFeed.ts';
import { fingerprintOf } from './deltaWindows.ts';
import type { DropCounter, DropReason } from './dropCounter.ts';
import { ExpirySweeper } from './expirySweeper.ts';
import type { Family, SeriesData } from './family.ts';
import { FamilyIndex } from './familyIndex.ts';
import type { OtelMetric, ResourceMetrics } from '../otelData/otelData.ts';
import { MAX_OVERFLOW_CONTRIBUTIONS, OVERFLOW_LABEL_TEXT, OverflowSeries, type OverflowBudget } from './overflowSeries.ts';
import { findPointProblem } from './pointProblem.ts';
import { countSeriesByJobAndInstance, type JobInstanceSeries } from './seriesByJobAndInstance.ts';
import { sameSeriesData } from './sameSeriesData.ts';
import { buildSeriesData } from './seriesData.ts';
import type { RestoredFamily, SnapshotFamily } from './restoredFamily.ts';
import { resolveStoreOptions, type ResolvedStoreOptions, type SeriesStoreOptions } from './storeOptions.ts';
import { PushedDeltaSeries, StoredSeries, TargetInfoSeries } from './storedSeries.ts';
import { describeMetric, describeSharedIdentity, REFUSAL_EXPLANATIONS } from './refusalMessages.ts';
import { TargetInfoBook } from './targetInfoBook.ts';
import { updateSeries, type PointRules, type PointTimes } from './updateSeries.ts';
import { WriteStamps, type WriteStamp } from './writeStamp.ts';

/** What `SeriesStore.restore` did with the series it was given (`target_info` included). */
export interface RestoreCounts {
  readonly restored: number;
  /** Not updated for the expiration time: left out. */
  readonly expired: number;
  /** Left out for the limit, a reserved or conflicting name, `target_info` turned off, or a series held already. */
  readonly skipped: number;
}


/** One apply's shared state: its generation (duplicate detection), receive time, stamps and tally. */
interface Batch {
  readonly generation: number;
  readonly receivedAtMs: number;
  /** What the series this apply writes are stamped with (shared between series). */
  readonly stamps: WriteStamps;
  readonly tally: ApplyTally;
  /** The resource applied, with the job/instance labels it gives (none without `jobAndInstance`). */
  readonly resource: TranslatedResource;
  /**
   * Set by `replaceWith`: label texts come from the cache by attributes object, and series of the
   * previous snapshot (in families taken over) are written over as new ones.
   */
  readonly snapshot: boolean;
}

/** One metric's destination and rules, worked out once for all its points. */
interface MetricTarget {
  readonly metric: OtelMetric;
  readonly family: Family<StoredSeries>;
  /** Where the family's writes are recorded (the change feed). */
  readonly log: FamilyLog;
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
 * - `target_info`: one series per job/instance (with `jobAndInstance`), the latest resource's
 *   attributes replacing the previous ones; it is refreshed by every apply of that resource.
 */
export class SeriesStore {
  readonly #translator: MetricTranslator;
  readonly #drops: DropCounter;
  #index: FamilyIndex<StoredSeries>;
  readonly #options: ResolvedStoreOptions;
  readonly #targetInfos: TargetInfoBook;
  readonly #sweeper = new ExpirySweeper(() => this.sweep());
  readonly #changes = new ChangeFeed();
  #generation = 0;
  #retriedDeltaPoints = 0;
  /** Refused series whose contribution the overflow series remember, all families together. */
  readonly #overflowBudget: OverflowBudget = { used: 0, max: MAX_OVERFLOW_CONTRIBUTIONS };
  #seriesCount = 0;

  constructor(settings: TranslationSettings, drops: DropCounter, options?: SeriesStoreOptions) {
    this.#translator = new MetricTranslator(settings, drops, () => this.#seriesCount);
    this.#drops = drops;
    this.#index = new FamilyIndex(drops);
    this.#options = resolveStoreOptions(options);
    this.#targetInfos = new TargetInfoBook(this.#translator, this.#changes, (family, labelText) => this.#removeSeries(family, labelText));
  }

  /** Forgets every series (a reset: what was removed before it cannot be told series by series). */
  clear(): void {
    this.#startSnapshot(undefined);
    this.#changes.reset(++this.#generation);
  }

  /** An empty index; `previous`: one whose families the new one takes over, series and all. */
  #startSnapshot(previous: FamilyIndex<StoredSeries> | undefined): void {
    this.#index = new FamilyIndex(this.#drops, previous);
    this.#targetInfos.clear();
    this.#seriesCount = 0;
    if (previous === undefined) this.#overflowBudget.used = 0;
  }

  /** The families to render, sorted by name (live: render them before the next apply). */
  families(): Family[] {
    return this.#index.sorted();
  }

  /**
   * The families with their series as the store keeps them (stamps, delta windows, the kind of
   * series): what a state snapshot writes (`model/snapshot/`), each with whether its HELP is the
   * fallback. Live, as `families()`: the `series` maps are the store's own.
   */
  snapshotFamilies(): SnapshotFamily[] {
    return this.#index.sorted().map((family) => ({ ...family, helpIsFallback: this.#index.helpIsFallback(family) }));
  }

  /**
   * Takes back series kept across a restart (`decodeSnapshot`), into a store that has applied
   * nothing yet, in a generation of their own (the change feed reports them as written): their
   * data, start times, temporality, delta windows and fingerprints (so that a retried export is
   * still told), receive times (expiry goes on from them) and `target_info` identities. Left out:
   * series not updated for `metricExpirationMs` by `nowMs` (`expired`), series past `maxSeries`,
   * families whose name is reserved or conflicts, `target_info` when it is turned off (`skipped`),
   * and a series the store holds already.
   */
  restore(families: Iterable<RestoredFamily>, nowMs: number = this.#options.clock()): RestoreCounts {
    const generation = ++this.#generation;
    const cutoff = nowMs - this.#options.metricExpirationMs;
    const stamps = new Map<WriteStamp, WriteStamp>();
    const counts = { restored: 0, expired: 0, skipped: 0 };
    for (const restored of families) {
      const isTargetInfo = restored.name === TARGET_INFO;
      const family =
        (isTargetInfo ? !this.#translator.settings.targetInfo : this.#options.reservedNames.takenBy(restored.name, restored.type) !== undefined)
          ? undefined
          : this.#index.familyFor(restored.name, restored.type, restored.help, restored.unit, `the state snapshot's ${restored.name}`, restored.helpIsFallback ?? false);
      if (family === undefined) {
        counts.skipped += restored.series.length;
        continue;
      }
      const log = this.#changes.logOf(family);
      for (const series of restored.series) {
        if (series.updatedAtMs <= cutoff) {
          counts.expired++;
          continue;
        }
        if (family.series.has(series.labelText) || (series instanceof TargetInfoSeries) !== isTargetInfo || (!isTargetInfo && this.#seriesCount >= this.#options.maxSeries)) {
          counts.skipped++;
          continue;
        }
        let stamp = stamps.get(series.written);
        if (stamp === undefined) stamps.set(series.written, (stamp = { ...series.written, generation }));
        series.written = stamp;
        if (series instanceof TargetInfoSeries) this.#targetInfos.restored(series);
        else this.#seriesCount++;
        family.series.set(series.labelText, series);
        log.append(series, generation);
        counts.restored++;
      }
      if (family.series.size === 0) this.#index.delete(family.name);
    }
    return counts;
  }

  /** Metric series held now (`target_info` and the overflow series not counted): what `maxSeries` bounds. */
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
   * The store's generation: every apply, sweep and clear takes the next one. An output that sends
   * changes keeps the generation it last sent up to, and asks what changed since.
   */
  generation(): number {
    return this.#generation;
  }

  /** Series written after `generation` and still held (each once, `target_info` included), found without scanning the store. */
  writtenSince(generation: number): FeedAnswer<WrittenSeries> {
    return this.#changes.writtenSince(generation);
  }

  /**
   * Series removed after `generation` (expired, limits, snapshots that no longer name them), oldest
   * first; undefined when the store no longer knows them all (too long ago, or cleared since).
   */
  removedSince(generation: number): FeedAnswer<RemovedSeries> | undefined {
    return this.#changes.removedSince(generation);
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
    const previous = this.#index;
    this.#startSnapshot(previous);
    this.#translator.startCollection();
    const tally = new ApplyTally();
    const generation = this.#applyResource(resourceMetrics, receivedAtMs, tally, true);
    this.#index.forgetPrevious();
    for (const family of previous.values()) {
      if (this.#index.get(family.name) === family) continue;
      for (const series of family.series.values()) this.#changes.removed(family, series, generation, this.#seriesCount);
    }
    for (const family of this.#index.values()) {
      for (const series of family.series.values()) {
        if (series.written.generation === generation) continue;
        family.series.delete(series.labelText);
        this.#changes.removed(family, series, generation, this.#seriesCount);
      }
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
    this.#applyResource(resourceMetrics, receivedAtMs, tally, false);
    return tally.result();
  }

  /** Applies every resource of one request (OTLP's `resource_metrics`), with one result for all. */
  applyAll(resourceMetrics: readonly ResourceMetrics[], receivedAtMs: number = this.#options.clock()): ApplyResult {
    const tally = new ApplyTally();
    for (const one of resourceMetrics) this.#applyResource(one, receivedAtMs, tally, false);
    return tally.result();
  }

  /**
   * Removes the series no point has updated for `metricExpirationMs` (by `nowMs`), then families
   * left empty (their names are free again) and the `target_info` of resources that stopped
   * pushing. Returns how many metric series were removed (`target_info` not counted).
   */
  sweep(nowMs: number = this.#options.clock()): number {
    const cutoff = nowMs - this.#options.metricExpirationMs;
    this.#generation++; // the removals' generation
    this.#translator.forgetKeptLabels(); // with the label texts kept for series that may go now
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
  #applyResource(resourceMetrics: ResourceMetrics, receivedAtMs: number, tally: ApplyTally, snapshot: boolean): number {
    const generation = ++this.#generation;
    const translator = this.#translator;
    const resource = translator.translateResource(resourceMetrics.resource.attributes);
    const batch: Batch = { generation, receivedAtMs, stamps: new WriteStamps(generation, receivedAtMs), tally, resource, snapshot };
    if (translator.settings.targetInfo) {
      this.#targetInfos.write(this.#index, { resource, generation, stamp: () => batch.stamps.stampFor(receivedAtMs, 'cumulative') });
    }
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      const context = translator.contextOf(resource, scope);
      for (const metric of metrics) this.#applyMetric(metric, context, batch);
    }
    return generation;
  }

  #applyMetric(metric: OtelMetric, context: ContextLabels, batch: Batch): void {
    const translated = this.#translator.translateFamily(metric);
    const family = this.#familyOf(metric, translated, batch);
    if (family === undefined) return;
    const translator = this.#translator;
    const target: MetricTarget = {
      metric,
      family,
      log: this.#changes.logOf(family),
      labels: translator.labelsOf(context, translated.type, batch.snapshot),
      keepsText: (labelText) => translator.unnamableKey === undefined && (this.#seriesCount < this.#options.maxSeries || family.series.has(labelText)),
      rules: { temporality: temporalityOf(metric), monotonic: translated.type !== 'gauge', checksWriters: this.#options.pushed && metric.kind !== 'gauge' },
    };
    for (const point of metric.points) this.#applyPoint(target, point, batch);
    // Not kept empty until the sweep (its points all refused at the limit, say): a client sending
    // ever-new metric names would grow the index without bound.
    if (family.series.size === 0 && !batch.snapshot) this.#index.delete(family.name);
  }

  /** The metric's family; undefined (its points refused and counted) when its name is invalid or taken. */
  #familyOf(metric: OtelMetric, { name, type, unit, help }: TranslatedFamily, batch: Batch): Family<StoredSeries> | undefined {
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
    const claimed = this.#index.claim(name, type, help.text, unit, describeMetric(metric), points, help.fallback);
    if (!('refused' in claimed)) return claimed;
    if (points > 0) batch.tally.reject(claimed.refused, claimed.detail, points); // counted by the index already
    return undefined;
  }

  #applyPoint(target: MetricTarget, point: OtelMetric['points'][number], batch: Batch): void {
    const { metric, family } = target;
    const translator = this.#translator;
    if (point.noRecordedValue) {
      translator.forgetUnnamableKey();
      const labelText = target.labels.labelTextOf(point.attributes, KEEP_NONE);
      // With a key that cannot be a label name there is no such series (the text lacks that label).
      const existing = translator.unnamableKey === undefined ? family.series.get(labelText) : undefined;
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
    translator.forgetUnnamableKey();
    const labelText = target.labels.labelTextOf(point.attributes, target.keepsText);
    if (translator.unnamableKey !== undefined) {
      // Left out, the label could merge this point's series with another's: refused, as Prometheus does.
      this.#refuse('invalid_label_name', `${describeMetric(metric)}: attribute ${JSON.stringify(translator.unnamableKey)} cannot be a label name`, batch);
      return;
    }
    const data = buildSeriesData(metric, point);
    const existing = family.series.get(labelText);
    if (existing instanceof OverflowSeries) {
      // A pusher's own overflow series (an SDK's cardinality limit) with exactly these labels: added up as one of ours.
      this.#writeOverflow(target, existing, labelText, data, point, batch);
      batch.tally.accept();
      return;
    }
    if (existing === undefined || isFromPreviousSnapshot(existing, batch)) {
      this.#createSeries(target, labelText, data, point, batch, existing);
      return;
    }
    if (this.#pushesDelta(target) && !(existing instanceof PushedDeltaSeries) && !(existing instanceof TargetInfoSeries) && !(point.timeMs < existing.timeMs)) {
      // A change of temporality starts the series over, as one that remembers its windows.
      this.#changes.replaced(existing);
      this.#setSeries(target, this.#pushedDeltaSeries(labelText, existing.layout, data, point, batch), batch);
      batch.tally.accept();
      return;
    }
    const before = existing.written.generation;
    const outcome = updateSeries(existing, data, point, batch.stamps, target.rules);
    if (outcome === 'repeated') this.#retriedDeltaPoints++;
    else if (outcome !== 'written') {
      const problem = `${describeMetric(metric)}: ${REFUSAL_EXPLANATIONS[outcome]}`;
      // Several writers: one line per resource says what to do, rather than one per metric.
      const reason = outcome === 'too_late' ? 'out_of_order' : outcome;
      this.#refuse(reason, problem, batch, 1, () => `${family.name}{${labelText}}`, outcome === 'multiple_writers' ? describeSharedIdentity(batch.resource) : problem);
      return;
    } else if (before !== batch.generation) target.log.append(existing, batch.generation);
    batch.tally.accept();
  }

  /** A new series, or (`recycled`) the previous snapshot's series of that label text written over as a new one. */
  #createSeries(target: MetricTarget, labelText: string, data: SeriesData, point: OtelMetric['points'][number], batch: Batch, recycled: StoredSeries | undefined): void {
    if (this.#seriesCount >= this.#options.maxSeries) {
      this.#addToOverflow(target, labelText, data, point, batch);
      const problem = `${describeMetric(target.metric)}: the limit of ${this.#options.maxSeries} series is reached, new series are refused`;
      this.#refuse('cardinality_limit', problem, batch, 1, () => `${target.family.name}{${labelText}}`);
      return;
    }
    this.#seriesCount++;
    batch.tally.accept();
    if (this.#pushesDelta(target)) {
      this.#setSeries(target, this.#pushedDeltaSeries(labelText, target.labels.layoutOf(point.attributes), data, point, batch), batch);
      return;
    }
    const stamp =
      target.rules.temporality === 'delta'
        ? batch.stamps.deltaStampFor(undefined, point.startTimeMs, point.timeMs)
        : batch.stamps.stampFor(point.timeMs, 'cumulative', point.startTimeMs);
    if (recycled !== undefined && !(recycled instanceof TargetInfoSeries)) {
      // Written over as a new one would be, its data object kept when its numbers did not change
      // (the exposition may have its text already).
      if (!sameSeriesData(recycled.data, data)) recycled.data = data;
      recycled.written = stamp;
      target.log.append(recycled, batch.generation);
      return;
    }
    this.#setSeries(target, new StoredSeries(labelText, target.labels.layoutOf(point.attributes), data, stamp), batch);
  }

  /**
   * A point refused at the series limit, added into its family's overflow series
   * (`otel_metric_overflow="true"`, see `OverflowSeries`), which is created past the limit. Only in a
   * family that holds series already: a client sending ever-new metric names at the limit would
   * otherwise grow the index without bound. The point is still refused and reported.
   */
  #addToOverflow(target: MetricTarget, labelText: string, data: SeriesData, point: PointTimes, batch: Batch): void {
    const { family } = target;
    const held = family.series.get(OVERFLOW_LABEL_TEXT);
    if (held instanceof OverflowSeries) {
      this.#writeOverflow(target, held, labelText, data, point, batch);
      return;
    }
    const empty = held === undefined && family.series.size > 0 ? OverflowSeries.emptyFor(data) : undefined;
    if (empty === undefined) return;
    // Not counted against the limit (`seriesCount`): at most one per family that has series.
    const overflow = new OverflowSeries(empty, batch.stamps.stampFor(point.timeMs, 'cumulative', point.startTimeMs ?? point.timeMs), this.#overflowBudget);
    this.#setSeries(target, overflow, batch);
    this.#writeOverflow(target, overflow, labelText, data, point, batch);
  }

  #writeOverflow(target: MetricTarget, overflow: OverflowSeries, labelText: string, data: SeriesData, point: PointTimes, batch: Batch): void {
    const { temporality, monotonic } = target.rules;
    const outcome = overflow.add({ labelText, data, temporality, monotonic, startTimeMs: point.startTimeMs, timeMs: point.timeMs }, batch.receivedAtMs);
    if (outcome !== 'added') return;
    const before = overflow.written.generation;
    overflow.written = batch.stamps.stampFor(Math.max(overflow.timeMs, point.timeMs), 'cumulative', overflow.startTimeMs);
    if (before !== batch.generation) target.log.append(overflow, batch.generation);
  }

  #setSeries(target: MetricTarget, series: StoredSeries, batch: Batch): void {
    target.family.series.set(series.labelText, series);
    target.log.append(series, batch.generation);
  }

  /** Delta points from pushers: their series remember the values of their recent windows (retries are told by them). */
  #pushesDelta(target: MetricTarget): boolean {
    return this.#options.pushed && target.rules.temporality === 'delta';
  }

  #pushedDeltaSeries(labelText: string, layout: LabelLayout, data: SeriesData, times: PointTimes, batch: Batch): PushedDeltaSeries {
    const stamp = batch.stamps.deltaStampFor(undefined, times.startTimeMs, times.timeMs);
    return new PushedDeltaSeries(labelText, layout, data, stamp, fingerprintOf(data));
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

  /** Removes a series (recorded in the change feed at the current generation). */
  #removeSeries(family: Family<StoredSeries>, labelText: string): void {
    const series = family.series.get(labelText);
    if (series === undefined) return;
    family.series.delete(labelText);
    if (series instanceof TargetInfoSeries) this.#targetInfos.removed(series);
    else if (series instanceof OverflowSeries) series.release();
    else this.#seriesCount--;
    this.#changes.removed(family, series, this.#generation, this.#seriesCount);
  }

  /** Removes the family's series last updated at or before `cutoff`; returns how many metric series went. */
  #sweepFamily(family: Family<StoredSeries>, cutoff: number): number {
    const before = this.#seriesCount;
    for (const series of family.series.values()) {
      // The contributions of refused series expire as those series would have (a gauge's leaves the total).
      if (series instanceof OverflowSeries) series.expireContributions(cutoff, family.type !== 'gauge');
      if (series.updatedAtMs <= cutoff) this.#removeSeries(family, series.labelText);
    }
    return before - this.#seriesCount;
  }
}

/** For points that create no series (removals, refusals): their label text is not kept. */
const KEEP_NONE: KeepsText = () => false;

/** Under `replaceWith`: a series of a family taken over that this collection has not written (yet). */
function isFromPreviousSnapshot(series: StoredSeries, batch: Batch): boolean {
  return batch.snapshot && series.written.generation !== batch.generation;
}
