import type { SeriesData } from './family.ts';
import { sameBounds } from './latestExemplars.ts';

/**
 * Whether two data hold the same numbers (and no exemplars, or the same ones): what a series
 * writes would not change. Exponential histograms and summaries are never taken as the same (it
 * would only save a copy). Lets a snapshot keep the data object of a series that did not change.
 */
export function sameSeriesData(a: SeriesData, b: SeriesData): boolean {
  if (a.kind === 'number' && b.kind === 'number') return Object.is(a.value, b.value) && a.exemplar === b.exemplar;
  if (a.kind === 'histogram' && b.kind === 'histogram') {
    return (
      a.count === b.count &&
      Object.is(a.sum, b.sum) &&
      a.exemplars === b.exemplars &&
      sameBounds(a.bounds, b.bounds) &&
      sameBounds(a.counts, b.counts) // the same element-wise comparison
    );
  }
  return false;
}
