import { addDeltaWindow, firstDeltaWindow, type DeltaWindows } from './deltaWindows.ts';
import type { Temporality } from '../otelData/otelData.ts';

/**
 * What one apply wrote onto a series, besides its data: the apply (its generation and receive
 * time), the point's time and temporality, and for a delta series the windows added to it lately.
 * One object is shared by every series an apply writes with the same of all these (all the points
 * of a metric, as SDKs send them), so a series holds one reference instead of three numbers (each
 * a 16-byte heap number in V8) and three more fields: about 60 bytes less a series, in a store of
 * millions.
 */
export interface WriteStamp {
  /** The apply generation (detects two points for one series within one apply). */
  readonly generation: number;
  /** The store's clock when the apply ran (not the point's own time): drives expiry. */
  readonly receivedAtMs: number;
  /** The latest point's time (for a delta series, the latest end of the windows added). */
  readonly timeMs: number;
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
  /** The window histories made for the last window seen, by the history each was made from. */
  #windowsMade: { readonly startTimeMs: number | undefined; readonly timeMs: number; readonly byPrevious: Map<DeltaWindows | undefined, DeltaWindows> } | undefined;

  constructor(generation: number, receivedAtMs: number) {
    this.generation = generation;
    this.#receivedAtMs = receivedAtMs;
  }

  /** A stamp without delta windows (cumulative points, gauges, summaries, target_info). */
  stampFor(timeMs: number, temporality: Temporality): WriteStamp {
    return this.#stamp(timeMs, temporality, undefined);
  }

  /**
   * A delta stamp: `previous`' windows (none: a series starting) with the window
   * `startTimeMs`–`timeMs` added, at the latest time of them all.
   */
  deltaStampFor(previous: WriteStamp | undefined, startTimeMs: number | undefined, timeMs: number): WriteStamp {
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
    return this.#stamp(latest, 'delta', windows);
  }

  #stamp(timeMs: number, temporality: Temporality, deltaWindows: DeltaWindows | undefined): WriteStamp {
    const last = this.#last;
    if (last !== undefined && last.timeMs === timeMs && last.temporality === temporality && last.deltaWindows === deltaWindows) return last;
    const stamp: WriteStamp = { generation: this.generation, receivedAtMs: this.#receivedAtMs, timeMs, temporality, deltaWindows };
    this.#last = stamp;
    return stamp;
  }
}
