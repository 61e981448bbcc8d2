import type { MetricType } from './family.ts';
import type { StoredSeries } from './storedSeries.ts';

/** A family kept across a restart (a state snapshot's), for `SeriesStore.restore`: its series as they were stored. */
export interface RestoredFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
  readonly series: readonly StoredSeries[];
}
