import { accumulate } from './accumulate.ts';
import type { SeriesData } from './family.ts';
import { keepLatestExemplars } from './latestExemplars.ts';
import type { NumberPoint, Temporality } from './otelData.ts';
import { sameSeriesData } from './sameSeriesData.ts';
import type { StoredSeries } from './storedSeries.ts';
import type { WriteStamp } from './writeStamp.ts';

/** Why a point was not written onto its existing series. */
export type UpdateRefusal = 'duplicate_series' | 'out_of_order';

/** A point's time range. */
export type PointTimes = Pick<NumberPoint, 'startTimeMs' | 'timeMs'>;

/**
 * Writes a point onto the series it names, under the temporality rules:
 * - within one apply (the stamp's generation), a series written twice at one time keeps its first point;
 * - a point older than the series' last one is out of order;
 * - delta onto delta: added (`accumulate`), unless its range starts before the end of the last one;
 * - otherwise (cumulative, gauge, summary, a change of temporality) the point replaces the data.
 * `monotonic`: the values only grow (counters; histogram and summary counts), so a lower one is a
 * reset. `stamp`: this apply's, for the point's time and temporality. Returns the refusal, if any.
 */
export function updateSeries(series: StoredSeries, data: SeriesData, times: PointTimes, stamp: WriteStamp, monotonic: boolean): UpdateRefusal | undefined {
  const last = series.written;
  if (last.generation === stamp.generation && !(times.timeMs > last.timeMs)) return 'duplicate_series';
  if (times.timeMs < last.timeMs) return 'out_of_order';
  if (stamp.temporality === 'delta' && last.temporality === 'delta') {
    if (overlapsLastDelta(series, times)) return 'out_of_order';
    addDelta(series, data, times);
  } else {
    replaceData(series, data, times, stamp.temporality, monotonic);
  }
  series.written = stamp;
  return undefined;
}

/** A delta range must start at or after the end of the last one accepted (without a start: after it). */
function overlapsLastDelta(series: StoredSeries, times: PointTimes): boolean {
  return times.startTimeMs === undefined ? times.timeMs <= series.timeMs : times.startTimeMs < series.timeMs;
}

/** The series keeps its start time unless the delta could not be added and it starts over. */
function addDelta(series: StoredSeries, data: SeriesData, times: PointTimes): void {
  const total = accumulate(series.data, data);
  if (total === data) series.startTimeMs = times.startTimeMs;
  series.data = total;
}

/**
 * The point is the series' whole value now. A reset (new start time, lower count) or a change of
 * temporality or kind starts the series over; otherwise exemplars the point lacks are kept.
 */
function replaceData(series: StoredSeries, data: SeriesData, times: PointTimes, temporality: Temporality, monotonic: boolean): void {
  const restarted =
    series.temporality !== temporality ||
    series.data.kind !== data.kind ||
    (times.startTimeMs !== undefined && series.startTimeMs !== undefined && times.startTimeMs !== series.startTimeMs) ||
    (monotonic && isLower(data, series.data));
  if (restarted) series.data = data;
  // The same numbers keep the same data object: text written for it stays valid (`ChunkTextCache`).
  else if (!sameSeriesData(series.data, data)) series.data = keepLatestExemplars(series.data, data);
  series.startTimeMs = times.startTimeMs;
}

/** A counter's value, or a histogram's or summary's count, went down: a reset, never a negative step. */
function isLower(next: SeriesData, previous: SeriesData): boolean {
  const nextValue = next.kind === 'number' ? next.value : next.count;
  const previousValue = previous.kind === 'number' ? previous.value : previous.count;
  return nextValue < previousValue;
}
