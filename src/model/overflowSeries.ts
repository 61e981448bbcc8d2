import { FixedLabelLayout } from '../translate/labelLayout.ts';
import { renderLabelText } from '../translate/labelText.ts';
import type { Temporality } from '../otelData/otelData.ts';
import { fingerprintOf } from './deltaWindows.ts';
import type { HistogramData, NumberData, SeriesData } from './family.ts';
import { sameBounds } from './latestExemplars.ts';
import { StoredSeries } from './storedSeries.ts';
import type { WriteStamp } from './writeStamp.ts';

/** The label the OpenTelemetry specification gives the series that takes what a cardinality limit refuses (`otel.metric.overflow=true`). */
export const OVERFLOW_LABEL_PAIRS = [['otel_metric_overflow', 'true']] as const;
export const OVERFLOW_LABEL_TEXT = renderLabelText(OVERFLOW_LABEL_PAIRS);
const OVERFLOW_LAYOUT = new FixedLabelLayout(OVERFLOW_LABEL_PAIRS);

/**
 * Refused series whose last contribution the overflow series of a store remember, all families
 * together: beyond it, a cumulative point of a refused series not remembered yet is not added (it
 * could not be told from its next point, and would be counted twice). About 300 bytes each: 3 MB
 * at most, so that a cardinality explosion (every point a new series) does not grow the heap.
 */
export const MAX_OVERFLOW_CONTRIBUTIONS = 10_000;

/** The budget of remembered contributions, shared by the overflow series of one store. */
export interface OverflowBudget {
  used: number;
  readonly max: number;
}

/** What one refused series last gave the overflow series. */
interface Contribution {
  /** Cumulative: its last data, taken out again when the next replaces it. Delta: undefined. */
  data: NumberData | HistogramData | undefined;
  startTimeMs: number | undefined;
  timeMs: number;
  /** Delta: the last window added, with its values' fingerprint (a retried export is not added twice). */
  lastWindow: string | undefined;
  /** The store's clock when it last contributed: a contribution expires as its series would have. */
  receivedAtMs: number;
}

/** What became of a refused point offered to the overflow series. */
export type OverflowOutcome =
  /** Added to the total. */
  | 'added'
  /** The same delta window with the same values as the last one added for that series (a retry): not added again. */
  | 'repeated'
  /** Not added: a kind the overflow cannot add up (exponential histogram, summary), other histogram bounds, an older point, or the budget spent. */
  | 'not_added';

/** One refused point: the label text of the series it would have created, its data and times. */
export interface RefusedPoint {
  readonly labelText: string;
  readonly data: SeriesData;
  readonly temporality: Temporality;
  /** Counters, histograms: a lower value or a later start time is a reset of that series, never a decrease of the total. */
  readonly monotonic: boolean;
  readonly startTimeMs: number | undefined;
  readonly timeMs: number;
}

/**
 * The overflow series of a family (`otel_metric_overflow="true"`, no other label): points the
 * cardinality limit refuses are added into it, so that sums over the family stay right.
 *
 * - Delta points are added as they come (a repeat of the last window of the same refused series,
 *   a retried export, is not).
 * - Cumulative points (and gauges) of many refused series: the series holds the sum of each
 *   one's latest value. It remembers each refused series' last contribution (by its label text),
 *   and a new point replaces it: the total moves by the difference. For counters and histograms
 *   a value lower than the last, or a later start time, is that series' reset: its new value is
 *   added whole, so the total never goes down (as Prometheus' `rate()` wants of a counter).
 * - A contribution not renewed for the expiration time expires as its series would have: a
 *   gauge's is taken out of the total; a counter's is only forgotten (the total stays, as an
 *   expired series' increase stays counted).
 * - Exponential histograms and summaries are not added (there is no sound sum of summaries,
 *   and exponential scales would have to be merged); neither are histograms whose bounds differ
 *   from the total's.
 *
 * Its data is numbers or a classic histogram, without exemplars; its start time is the first
 * contribution's. Written like any series (the change feed, expiry of the whole series).
 */
export class OverflowSeries extends StoredSeries {
  readonly #contributions = new Map<string, Contribution>();
  readonly #budget: OverflowBudget;

  constructor(data: NumberData | HistogramData, written: WriteStamp, budget: OverflowBudget) {
    super(OVERFLOW_LABEL_TEXT, OVERFLOW_LAYOUT, data, written);
    this.#budget = budget;
  }

  /**
   * The empty total a first refused point of this kind starts from; undefined for a kind the
   * overflow cannot add up.
   */
  static emptyFor(data: SeriesData): NumberData | HistogramData | undefined {
    if (data.kind === 'number') return { kind: 'number', value: 0 };
    if (data.kind === 'histogram') return { kind: 'histogram', bounds: data.bounds, counts: new Array<number>(data.counts.length).fill(0), count: 0, sum: 0 };
    return undefined;
  }

  /** Refused series remembered now. */
  get contributions(): number {
    return this.#contributions.size;
  }

  /** Adds a refused point into the total (see the class comment); `receivedAtMs`: the store's clock. */
  add(point: RefusedPoint, receivedAtMs: number): OverflowOutcome {
    const data = plainData(point.data);
    if (data === undefined || !addable(this.data, data)) return 'not_added';
    const known = this.#contributions.get(point.labelText);
    if (point.temporality === 'delta') {
      const window = `${String(point.startTimeMs)}:${point.timeMs}:${fingerprintOf(data)}`;
      if (known?.lastWindow === window) return 'repeated';
      this.data = addData(this.data, data, 1);
      if (known !== undefined) Object.assign(known, { lastWindow: window, timeMs: Math.max(known.timeMs, point.timeMs), receivedAtMs });
      else this.#remember(point.labelText, { data: undefined, startTimeMs: point.startTimeMs, timeMs: point.timeMs, lastWindow: window, receivedAtMs });
      return 'added';
    }
    if (known === undefined) {
      if (this.#budget.used >= this.#budget.max) return 'not_added';
      this.data = addData(this.data, data, 1);
      this.#remember(point.labelText, { data, startTimeMs: point.startTimeMs, timeMs: point.timeMs, lastWindow: undefined, receivedAtMs });
      return 'added';
    }
    if (point.timeMs < known.timeMs) return 'not_added';
    const previous = known.data;
    const reset = point.monotonic && previous !== undefined && (isLater(point.startTimeMs, known.startTimeMs) || isLower(data, previous));
    // A reset adds the new value whole; otherwise the difference from the last contribution.
    this.data = previous === undefined || reset ? addData(this.data, data, 1) : addData(addData(this.data, previous, -1), data, 1);
    Object.assign(known, { data, startTimeMs: point.startTimeMs, timeMs: point.timeMs, receivedAtMs });
    return 'added';
  }

  /**
   * Forgets the contributions last renewed at or before `cutoffMs`; a gauge's (`monotonic` false)
   * is taken out of the total. Returns how many were forgotten.
   */
  expireContributions(cutoffMs: number, monotonic: boolean): number {
    let expired = 0;
    for (const [labelText, contribution] of this.#contributions) {
      if (contribution.receivedAtMs > cutoffMs) continue;
      if (!monotonic && contribution.data !== undefined) this.data = addData(this.data, contribution.data, -1);
      this.#contributions.delete(labelText);
      expired++;
    }
    this.#budget.used -= expired;
    return expired;
  }

  /** Gives the budget back (the series is removed). */
  release(): void {
    this.#budget.used -= this.#contributions.size;
    this.#contributions.clear();
  }

  #remember(labelText: string, contribution: Contribution): void {
    // Delta contributions only remember their last window: kept within the budget too, and simply not remembered beyond it.
    if (this.#budget.used >= this.#budget.max) return;
    this.#contributions.set(labelText, contribution);
    this.#budget.used++;
  }
}

/** Numbers and classic histograms without exemplars; undefined for the kinds not added up. */
function plainData(data: SeriesData): NumberData | HistogramData | undefined {
  if (data.kind === 'number') return { kind: 'number', value: data.value };
  if (data.kind === 'histogram') return { kind: 'histogram', bounds: data.bounds, counts: data.counts, count: data.count, sum: data.sum };
  return undefined;
}

function addable(total: SeriesData, data: NumberData | HistogramData): boolean {
  if (total.kind === 'number') return data.kind === 'number';
  return total.kind === 'histogram' && data.kind === 'histogram' && sameBounds(total.bounds, data.bounds) && total.counts.length === data.counts.length;
}

/** `total + sign × data`, of one kind (checked by `addable`). A histogram sum left out once stays unknown. */
function addData(total: SeriesData, data: NumberData | HistogramData, sign: 1 | -1): NumberData | HistogramData {
  if (total.kind === 'number' && data.kind === 'number') return { kind: 'number', value: total.value + sign * data.value };
  const sums = total as HistogramData;
  const part = data as HistogramData;
  const counts = sums.counts.map((count, i) => count + sign * part.counts[i]!);
  const sum = sums.sum === undefined || part.sum === undefined ? undefined : sums.sum + sign * part.sum;
  return { kind: 'histogram', bounds: sums.bounds, counts, count: sums.count + sign * part.count, sum };
}

function isLater(start: number | undefined, previousStart: number | undefined): boolean {
  return start !== undefined && previousStart !== undefined && start > previousStart;
}

/** A monotonic value (a counter, a histogram's count) lower than the last: a reset. */
function isLower(data: NumberData | HistogramData, previous: NumberData | HistogramData): boolean {
  if (data.kind === 'number' && previous.kind === 'number') return data.value < previous.value;
  return data.kind === 'histogram' && previous.kind === 'histogram' && data.count < previous.count;
}
