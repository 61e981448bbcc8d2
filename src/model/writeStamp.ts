import { addDeltaWindow, firstDeltaWindow, type DeltaWindows } from './deltaWindows.ts';
import type { Temporality } from '../otelData/otelData.ts';

/**
 * What one apply wrote onto a series, besides its data: the apply (its generation and receive
 * time), the point's time, the series' start time and temporality, and for a delta series the
 * windows added to it lately. One object is shared by every series an apply writes with the same
 * of all these (all the points of a metric, as SDKs send them), so a series holds one reference
 * instead of four numbers (each a 12-byte heap number in V8) and four more fields: about 80 bytes
 * less a series, in a store of millions.
 */
export interface WriteStamp {
  /** The apply generation (detects two points for one series within one apply). */
  readonly generation: number;
  /** The store's clock when the apply ran (not the point's own time): drives expiry. */
  readonly receivedAtMs: number;
  /** The latest point's time (for a delta series, the latest end of the windows added). */
  readonly timeMs: number;
  /** When the series (re)started, if known (for a delta series, the earliest start of the windows added). */
  readonly startTimeMs: number | undefined;
  /** How the point arrived: gauges and summaries count as cumulative (each point is the whole value). */
  readonly temporality: Temporality;
  /** Delta only: the windows added to the series lately (retries are recognised by them). */
  readonly deltaWindows: DeltaWindows | undefined;
}

/** Stamps for one apply: the last one made is handed out again while what it holds repeats. */
export class WriteStamps {
  readonly generation: number;
  readonly #receivedAtMs: number;
  #last: WriteStamp | undefined;
  /** The stamps made since the time, temporality and windows last changed, by series start time (delta series started in different windows interleave). */
  readonly #lastByStart = new Map<number | undefined, WriteStamp>();
  /** The window histories made for the last window seen, by the history each was made from. */
  #windowsMade: { readonly startTimeMs: number | undefined; readonly timeMs: number; readonly byPrevious: Map<DeltaWindows | undefined, DeltaWindows> } | undefined;

  constructor(generation: number, receivedAtMs: number) {
    this.generation = generation;
    this.#receivedAtMs = receivedAtMs;
  }

  /** A stamp without delta windows (cumulative points, gauges, summaries, target_info), for a series started at `startTimeMs`. */
  stampFor(timeMs: number, temporality: Temporality, startTimeMs?: number): WriteStamp {
    return this.#stamp(timeMs, temporality, undefined, startTimeMs);
  }

  /**
   * A delta stamp: `previous`' windows (none: a series starting) with the window
   * `startTimeMs`–`timeMs` added, at the latest time of them all; the series started at
   * `seriesStartTimeMs` (by default the window's start: a series starting).
   */
  deltaStampFor(previous: WriteStamp | undefined, startTimeMs: number | undefined, timeMs: number, seriesStartTimeMs: number | undefined = startTimeMs): WriteStamp {
    const from = previous?.deltaWindows;
    let made = this.#windowsMade;
    if (made === undefined || made.startTimeMs !== startTimeMs || made.timeMs !== timeMs) {
      made = { startTimeMs, timeMs, byPrevious: new Map() };
      this.#windowsMade = made;
    }
    let windows = made.byPrevious.get(from);
    if (windows === undefined) {
      windows = from === undefined ? firstDeltaWindow(startTimeMs, timeMs) : addDeltaWindow(from, startTimeMs, timeMs);
      made.byPrevious.set(from, windows);
    }
    const latest = from === undefined || previous === undefined ? timeMs : Math.max(previous.timeMs, timeMs);
    return this.#stamp(latest, 'delta', windows, seriesStartTimeMs);
  }

  #stamp(timeMs: number, temporality: Temporality, deltaWindows: DeltaWindows | undefined, startTimeMs: number | undefined): WriteStamp {
    const last = this.#last;
    const sameRest = last !== undefined && last.timeMs === timeMs && last.temporality === temporality && last.deltaWindows === deltaWindows;
    if (sameRest && last.startTimeMs === startTimeMs) return last; // the common case, kept small enough to inline
    return this.#newStamp(timeMs, temporality, deltaWindows, startTimeMs, sameRest);
  }

  #newStamp(timeMs: number, temporality: Temporality, deltaWindows: DeltaWindows | undefined, startTimeMs: number | undefined, sameRest: boolean): WriteStamp {
    const last = this.#last;
    const byStart = this.#lastByStart;
    if (sameRest && last !== undefined) {
      const same = byStart.get(startTimeMs);
      if (same !== undefined) return (this.#last = same);
      if (byStart.size === 0) byStart.set(last.startTimeMs, last);
    } else if (byStart.size > 0) {
      byStart.clear();
    }
    const stamp: WriteStamp = { generation: this.generation, receivedAtMs: this.#receivedAtMs, timeMs, startTimeMs, temporality, deltaWindows };
    this.#last = stamp;
    if (sameRest) byStart.set(startTimeMs, stamp);
    return stamp;
  }
}
