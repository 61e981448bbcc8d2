import type { SeriesData } from '../../model/family.ts';

/**
 * Runs of `KEPT_RUN_SERIES` series' `Metric` messages (field 4 of their `MetricFamily`, tag and
 * length included; see writeMetricFamilies.ts) written before, by the data object of their first
 * series, with the data objects of all their series: a run whose series all still hold the same
 * data objects is the same bytes. A family's own fields and length are written at each scrape (a
 * few bytes), so that its name, help, unit and type are always the current ones.
 */
export type ChunkBytes = WeakMap<SeriesData, { readonly data: readonly SeriesData[]; readonly bytes: Uint8Array }>;
