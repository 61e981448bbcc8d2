import { accumulate } from './accumulate.ts';
import { addFingerprint, checkDeltaWindow, fingerprintOf } from './deltaWindows.ts';
import type { SeriesData } from './family.ts';
import { keepLatestExemplars } from './latestExemplars.ts';
import type { NumberPoint, Temporality } from '../otelData/otelData.ts';
import { sameSeriesData } from './sameSeriesData.ts';
import { PushedDeltaSeries, type StoredSeries } from './storedSeries.ts';
import type { WriteStamps } from './writeStamp.ts';

/**
 * Why a point was not written onto its existing series; `too_late`: a delta window older than those
 * the series remembers, which may have been added already (counted as `out_of_order`).
 */
export type UpdateRefusal = 'duplicate_series' | 'out_of_order' | 'too_late' | 'multiple_writers' | 'non_monotonic';

/** What became of a point written onto its existing series; `repeated`: a delta window added already (a retried export), left out. */
export type UpdateOutcome = 'written' | 'repeated' | UpdateRefusal;

/** A point's time range. */
export type PointTimes = Pick<NumberPoint, 'startTimeMs' | 'timeMs'>;

/** How a metric's points are written, the same for all of them. */
export interface PointRules {
  readonly temporality: Temporality;
  /** The values only grow (counters; histogram and summary counts): a lower one is a reset, or refused. */
  readonly monotonic: boolean;
  /**
   * Cumulative points are checked for a second writer of their series: where several writers may
   * push one series (the sidecar), for every kind but gauges (whose start time says nothing).
   */
  readonly checksWriters: boolean;
}

/**
 * Writes a point onto the series it names, under the temporality rules:
 * - within one apply (the stamps' generation), a series written twice at one time keeps its first point;
 * - delta onto delta: added (`accumulate`), whatever other windows it overlaps (replicas sharing an
 *   identity add up). On a `PushedDeltaSeries`, a window already added with the same values (a
 *   retried export) is recognised and left out, and one too old to tell is refused (`out_of_order`);
 * - otherwise (cumulative, gauge, summary, a change of temporality) the point replaces the data,
 *   unless it is older than the series' last one (`out_of_order`). With `checksWriters`, a cumulative point that started
 *   accumulating before the series did comes from another writer of the same series
 *   (`multiple_writers`): only a later start time is a reset. A lower monotonic value with the same
 *   start time is refused (`non_monotonic`); without start times a lower value is a reset.
 */
export function updateSeries(series: StoredSeries, data: SeriesData, times: PointTimes, stamps: WriteStamps, rules: PointRules): UpdateOutcome {
  const last = series.written;
  const windows = last.deltaWindows;
  if (rules.temporality === 'delta' && windows !== undefined) {
    if (last.generation === stamps.generation && times.timeMs === last.timeMs) return 'duplicate_series';
    if (!(series instanceof PushedDeltaSeries)) {
      const restarted = addDelta(series, data);
      series.written = stamps.deltaStampFor(restarted ? undefined : last, times.startTimeMs, times.timeMs, startAfterDelta(series, times, restarted));
      return 'written';
    }
    const fingerprint = fingerprintOf(data);
    const check = checkDeltaWindow(windows, series.windowFingerprints, times.startTimeMs, times.timeMs, fingerprint);
    if (check === 'repeated') return last.generation === stamps.generation ? 'duplicate_series' : 'repeated';
    if (check === 'too_late') return 'too_late';
    const restarted = addDelta(series, data);
    series.written = stamps.deltaStampFor(restarted ? undefined : last, times.startTimeMs, times.timeMs, startAfterDelta(series, times, restarted));
    series.windowFingerprints = restarted ? [fingerprint] : addFingerprint(series.windowFingerprints, series.written.deltaWindows!, fingerprint);
    return 'written';
  }
  if (last.generation === stamps.generation && !(times.timeMs > last.timeMs)) return 'duplicate_series';
  if (times.timeMs < last.timeMs) return 'out_of_order';
  if (rules.temporality === 'cumulative' && last.temporality === 'cumulative') {
    const refusal = checkCumulativeWriter(series, data, times, rules);
    if (refusal !== undefined) return refusal;
  }
  replaceData(series, data, times, rules.temporality, rules.monotonic);
  // The series starts at the point's start now (written with its stamp).
  if (rules.temporality === 'delta') {
    series.written = stamps.deltaStampFor(undefined, times.startTimeMs, times.timeMs);
    if (series instanceof PushedDeltaSeries) series.windowFingerprints = [fingerprintOf(data)];
  } else {
    series.written = stamps.stampFor(times.timeMs, rules.temporality, times.startTimeMs);
  }
  return 'written';
}

/** A cumulative point against its series: from an earlier-started writer, or lower without a restart. */
function checkCumulativeWriter(series: StoredSeries, data: SeriesData, times: PointTimes, rules: PointRules): UpdateRefusal | undefined {
  const start = times.startTimeMs;
  const current = series.startTimeMs;
  if (!rules.checksWriters || start === undefined || current === undefined || series.data.kind !== data.kind) return undefined;
  if (start < current) return 'multiple_writers';
  if (start === current && rules.monotonic && isLower(data, series.data)) return 'non_monotonic';
  return undefined;
}

/**
 * Adds the delta onto the series. Returns true when the two could not be added (other bounds) and
 * the series started over from the point (its windows with it).
 */
function addDelta(series: StoredSeries, data: SeriesData): boolean {
  const total = accumulate(series.data, data);
  series.data = total;
  return total === data;
}

/** A delta series starts at the earliest start of the windows added; the point's own when it started over. */
function startAfterDelta(series: StoredSeries, times: PointTimes, restarted: boolean): number | undefined {
  if (restarted) return times.startTimeMs;
  const current = series.startTimeMs;
  return times.startTimeMs !== undefined && current !== undefined && times.startTimeMs < current ? times.startTimeMs : current;
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
}

/** A counter's value, or a histogram's or summary's count, went down: a reset, never a negative step. */
function isLower(next: SeriesData, previous: SeriesData): boolean {
  const nextValue = next.kind === 'number' ? next.value : next.count;
  const previousValue = previous.kind === 'number' ? previous.value : previous.count;
  return nextValue < previousValue;
}
