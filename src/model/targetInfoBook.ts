import type { TranslatedResource, MetricTranslator } from '../translate/metricTranslator.ts';
import { TARGET_INFO } from '../translate/metricTranslator.ts';
import type { ChangeFeed } from './changeFeed.ts';
import type { Family } from './family.ts';
import type { FamilyIndex } from './familyIndex.ts';
import { TargetInfoSeries, type StoredSeries } from './storedSeries.ts';
import type { WriteStamp } from './writeStamp.ts';

/** What writing a resource's `target_info` needs from the apply in progress. */
export interface TargetInfoWrite {
  readonly resource: TranslatedResource;
  readonly generation: number;
  /** The stamp its series is written with (the receive time, cumulative). */
  readonly stamp: () => WriteStamp;
}

/**
 * The store's `target_info` series: one per resource identity (its job/instance, or its label text
 * without them), the latest resource's attributes replacing the previous series. Its series live
 * in the store's index like any other; this keeps which identity each belongs to.
 */
export class TargetInfoBook {
  /** Resource identity → the label text of its target_info series. */
  readonly #byIdentity = new Map<string, string>();
  readonly #translator: MetricTranslator;
  readonly #changes: ChangeFeed;
  readonly #removeSeries: (family: Family<StoredSeries>, labelText: string) => void;

  constructor(translator: MetricTranslator, changes: ChangeFeed, removeSeries: (family: Family<StoredSeries>, labelText: string) => void) {
    this.#translator = translator;
    this.#changes = changes;
    this.#removeSeries = removeSeries;
  }

  /** Writes (or refreshes) the resource's series; a resource that has none (no attributes left) has its old one removed. */
  write(index: FamilyIndex<StoredSeries>, write: TargetInfoWrite): void {
    const identityKey = this.#translator.identityKeyOf(write.resource);
    const labels = this.#translator.targetInfoOf(write.resource);
    const family = labels && index.familyFor(TARGET_INFO, 'gauge', 'Target metadata', '', 'the resource');
    if (labels === undefined || family === undefined) {
      if (identityKey !== undefined) this.#forget(index, identityKey);
      return;
    }
    const { labelText } = labels;
    const key = identityKey ?? labelText;
    const previous = this.#byIdentity.get(key);
    if (previous !== labelText) {
      if (previous !== undefined) this.#removeSeries(family, previous);
      this.#byIdentity.set(key, labelText);
    }
    const stamp = write.stamp();
    const existing = family.series.get(labelText);
    if (existing !== undefined) {
      const before = existing.written.generation;
      existing.written = stamp;
      if (before !== write.generation) this.#changes.wrote(family, existing, write.generation);
      return;
    }
    const series = new TargetInfoSeries(labelText, labels.layout, stamp, key);
    family.series.set(labelText, series);
    this.#changes.wrote(family, series, write.generation);
  }

  /** A series kept across a restart is back in the index: its identity is known again. */
  restored(series: TargetInfoSeries): void {
    this.#byIdentity.set(series.targetInfoKey, series.labelText);
  }

  /** The series is gone from the index (expired, replaced): its identity is forgotten with it. */
  removed(series: TargetInfoSeries): void {
    this.#byIdentity.delete(series.targetInfoKey);
  }

  clear(): void {
    this.#byIdentity.clear();
  }

  #forget(index: FamilyIndex<StoredSeries>, key: string): void {
    const labelText = this.#byIdentity.get(key);
    if (labelText === undefined) return;
    this.#byIdentity.delete(key);
    const family = index.get(TARGET_INFO);
    if (family !== undefined) this.#removeSeries(family, labelText);
  }
}
