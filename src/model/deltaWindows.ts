import type { SeriesData } from './family.ts';

/** Delta windows remembered per series: enough to recognise a retried export among the recent ones. */
export const MAX_REMEMBERED_WINDOWS = 16;

/**
 * The delta windows recently added to a series, in the order they came: half of what tells a
 * retried export (the same window with the same values, added already) from new data (any other).
 * Immutable, so that the series one apply writes with the same history share one object
 * (`WriteStamps`), as the series of one metric do when their points arrive together, the way SDKs
 * send them; what each window held is kept per series (`DeltaFingerprints`), in the same order.
 */
export interface DeltaWindows {
  /** Start and end of each window, flattened (`[start0, end0, start1, end1, …]`); a missing start is `-Infinity`. */
  readonly bounds: readonly number[];
  /**
   * The latest end of the windows forgotten (`-Infinity` when none was): a window ending at or
   * before it may have been added already, and it cannot be told any more.
   */
  readonly horizonMs: number;
  /** Which window (by position) was forgotten when these were made from the previous ones; -1 for none. */
  readonly forgotten: number;
}

/** What a delta point is, against the windows already added to its series. */
export type DeltaWindowCheck = 'new' | 'repeated' | 'too_late';

/**
 * `repeated`: the same window with the same values was added already (a retry). Two writers whose
 * windows agree to the millisecond (SDKs that keep time in milliseconds) still differ by their values.
 */
export function checkDeltaWindow(windows: DeltaWindows, fingerprints: readonly number[], startTimeMs: number | undefined, timeMs: number, fingerprint: number): DeltaWindowCheck {
  const start = startTimeMs ?? -Infinity;
  const { bounds } = windows;
  for (let i = bounds.length - 2; i >= 0; i -= 2) {
    if (bounds[i + 1] === timeMs && bounds[i] === start && fingerprints[i / 2] === fingerprint) return 'repeated';
  }
  return timeMs <= windows.horizonMs ? 'too_late' : 'new';
}

/** The first window of a series (or of one that starts over). */
export function firstDeltaWindow(startTimeMs: number | undefined, timeMs: number): DeltaWindows {
  return { bounds: [startTimeMs ?? -Infinity, timeMs], horizonMs: -Infinity, forgotten: -1 };
}

/** `windows` with one more, the one ending earliest forgotten past `MAX_REMEMBERED_WINDOWS`. */
export function addDeltaWindow(windows: DeltaWindows, startTimeMs: number | undefined, timeMs: number): DeltaWindows {
  const bounds = [...windows.bounds, startTimeMs ?? -Infinity, timeMs];
  if (bounds.length <= 2 * MAX_REMEMBERED_WINDOWS) return { bounds, horizonMs: windows.horizonMs, forgotten: -1 };
  let earliest = 1;
  for (let i = 3; i < bounds.length; i += 2) if (bounds[i]! < bounds[earliest]!) earliest = i;
  const horizonMs = Math.max(windows.horizonMs, bounds[earliest]!);
  bounds.splice(earliest - 1, 2);
  return { bounds, horizonMs, forgotten: (earliest - 1) / 2 };
}

/**
 * A series' fingerprints once its window history became `windows` with a window holding
 * `fingerprint`: a new array of just that length (a grown one would keep room for 17 more).
 */
export function addFingerprint(fingerprints: readonly number[], windows: DeltaWindows, fingerprint: number): number[] {
  const forgotten = windows.forgotten;
  const next = new Array<number>(forgotten >= 0 ? fingerprints.length : fingerprints.length + 1);
  let at = 0;
  for (let i = 0; i < fingerprints.length; i++) if (i !== forgotten) next[at++] = fingerprints[i]!;
  next[at] = fingerprint;
  return next;
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/**
 * A small whole number (a V8 small integer: no heap number) for a delta point's values: its value,
 * or its count and sum. Equal values give equal fingerprints; different ones almost never do.
 */
export function fingerprintOf(data: SeriesData): number {
  switch (data.kind) {
    case 'number':
      return mixDouble(0x9e3779b1, data.value);
    case 'histogram':
    case 'exponentialHistogram':
    case 'summary':
      return mixDouble(mixDouble(0x85ebca6b, data.count), data.sum ?? NaN);
  }
}

function mixDouble(seed: number, value: number): number {
  scratch[0] = value;
  let hash = Math.imul(seed ^ scratchWords[0]!, 0x27d4eb2d);
  hash = Math.imul(hash ^ (hash >>> 15) ^ scratchWords[1]!, 0x165667b1);
  return (hash ^ (hash >>> 13)) & 0x3fffffff;
}
