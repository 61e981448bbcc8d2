import type { Family, MetricType } from './family.ts';
import type { StoredSeries } from './storedSeries.ts';

/** A family kept across a restart (a state snapshot's), for `SeriesStore.restore`: its series as they were stored. */
export interface RestoredFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** `help` is the translator's fallback (the metric had no description): a description replaces it. @default false */
  readonly helpIsFallback?: boolean;
  readonly unit: string;
  readonly series: readonly StoredSeries[];
}

/** A family as a state snapshot writes it (`SeriesStore.snapshotFamilies`): the store's own, and whether its HELP is the fallback. */
export type SnapshotFamily = Family<StoredSeries> & { readonly helpIsFallback: boolean };
