import type { Family } from './family.ts';
import type { StoredSeries } from './storedSeries.ts';

/** A series written since some generation, with its family (name, type, unit). */
export interface WrittenSeries {
  readonly family: Family<StoredSeries>;
  readonly series: StoredSeries;
}

/** A series removed (expired, dropped by a reset or a new snapshot), and when. */
export interface RemovedSeries {
  readonly family: Family<StoredSeries>;
  /** The series as it was last written (its labels, data and times). */
  readonly series: StoredSeries;
  readonly generation: number;
}

/** What a question to the feed found, and what it cost: the log entries it visited. */
export interface FeedAnswer<T> {
  readonly series: readonly T[];
  readonly visitedEntries: number;
}

/** The generation of a removed series' stamp: no write entry of it is current. */
const REMOVED = -1;

/** Removals remembered however few series are held. */
const MIN_REMEMBERED_REMOVALS = 1024;

/** A family's log may hold this many entries besides two per live series before it is compacted. */
const LOG_SLACK = 16;

/**
 * What changed in the store, for outputs that send changes (remote write, state snapshots, stale
 * markers): which series were written and which removed since a generation of the store.
 *
 * Writes: per family, an append-only log of the series written, one entry per series and
 * generation, with where each generation starts in it. An entry is current when its generation is
 * its series' last write and the series is still the family's; a family's log is compacted to its
 * current entries when it holds more than twice the family's series. Families are found through a
 * log of the families written per generation, compacted the same way. So a question costs the
 * entries written since (and the few stale ones among them), not a scan of the store; the memory
 * is one reference per series, two at most.
 *
 * Removals: a log of the series removed, the last ones at least as many as the store holds (and
 * at least 1,024), at most twice that; when older ones are let go, or the store is cleared, a question from before that generation
 * cannot be answered (undefined: the output sends a full snapshot instead).
 */
export class ChangeFeed {
  readonly #logs = new Map<Family<StoredSeries>, FamilyLog>();
  /** Family logs written in each generation (one entry per family and generation), in generation order. */
  #touched: FamilyLog[] = [];
  #touchedGenerations: number[] = [];
  #removed: RemovedSeries[] = [];
  /** Removals at or before this generation are not all known (let go, or a clear()). */
  #removedHorizon = 0;

  /**
   * The write log of a family: found once per metric, it takes that metric's writes. A new one is
   * kept from its first write on (a metric whose points are all refused leaves nothing behind).
   */
  logOf(family: Family<StoredSeries>): FamilyLog {
    return this.#logs.get(family) ?? new FamilyLog(family, this);
  }

  /** Records that `series` of `family` was written in `generation` (once per generation: the caller checks its previous stamp). */
  wrote(family: Family<StoredSeries>, series: StoredSeries, generation: number): void {
    this.logOf(family).append(series, generation);
  }

  /** A family log's first entry of a generation (from `FamilyLog.append`). */
  touched(log: FamilyLog, generation: number): void {
    if (!this.#logs.has(log.family)) this.#logs.set(log.family, log);
    this.#touched.push(log);
    this.#touchedGenerations.push(generation);
    if (this.#touched.length > 2 * this.#logs.size + LOG_SLACK) this.#compactTouched();
  }

  /**
   * Records that `series` left `family` in `generation`; `liveSeries`: the store's series now, which
   * bounds what is remembered. The series is marked removed (its stamp copied with no generation),
   * so that its write entries are no longer current without a lookup in its family.
   */
  removed(family: Family<StoredSeries>, series: StoredSeries, generation: number, liveSeries: number): void {
    series.written = { ...series.written, generation: REMOVED };
    this.#removed.push({ family, series, generation });
    const limit = Math.max(MIN_REMEMBERED_REMOVALS, liveSeries);
    if (this.#removed.length > 2 * limit) {
      // Let go of the oldest down to `limit` at once: a slice per `limit` removals, not one per removal.
      const dropped = this.#removed.length - limit;
      this.#removedHorizon = Math.max(this.#removedHorizon, this.#removed[dropped - 1]!.generation);
      this.#removed = this.#removed.slice(dropped);
    }
  }

  /** `series` was replaced in its family by another object of the same labels: its entries are stale. */
  replaced(series: StoredSeries): void {
    series.written = { ...series.written, generation: REMOVED };
  }

  /** Everything was dropped at `generation` (a clear): writes start over, removals before it are unknown. */
  reset(generation: number): void {
    this.#logs.clear();
    this.#touched = [];
    this.#touchedGenerations = [];
    this.#removed = [];
    this.#removedHorizon = generation;
  }

  /** The series written after `generation` that the store still holds, each once. */
  writtenSince(generation: number): FeedAnswer<WrittenSeries> {
    const series: WrittenSeries[] = [];
    let visitedEntries = 0;
    const seen = new Set<FamilyLog>();
    for (let i = this.#touched.length - 1; i >= 0 && this.#touchedGenerations[i]! > generation; i--) {
      visitedEntries++;
      const log = this.#touched[i]!;
      if (seen.has(log)) continue;
      seen.add(log);
      visitedEntries += log.collectSince(generation, series);
    }
    return { series, visitedEntries };
  }

  /** The series removed after `generation`, oldest first; undefined when some of them are no longer known. */
  removedSince(generation: number): FeedAnswer<RemovedSeries> | undefined {
    if (generation < this.#removedHorizon) return undefined;
    const removed = this.#removed;
    let first = removed.length;
    while (first > 0 && removed[first - 1]!.generation > generation) first--;
    return { series: removed.slice(first), visitedEntries: removed.length - first };
  }

  /** Keeps the latest entry of each family log still written to (the order of generations kept). */
  #compactTouched(): void {
    const keep = new Set<FamilyLog>();
    const touched: FamilyLog[] = [];
    const generations: number[] = [];
    for (let i = this.#touched.length - 1; i >= 0; i--) {
      const log = this.#touched[i]!;
      if (keep.has(log)) continue;
      keep.add(log);
      if (!log.compact()) {
        if (this.#logs.get(log.family) === log) this.#logs.delete(log.family);
        continue;
      }
      touched.push(log);
      generations.push(this.#touchedGenerations[i]!);
    }
    this.#touched = touched.reverse();
    this.#touchedGenerations = generations.reverse();
  }
}

/** One family's write log: the series in the order written, and where each generation starts. */
export class FamilyLog {
  readonly family: Family<StoredSeries>;
  readonly #feed: ChangeFeed;
  /** Entries up to `#length`; past it, room kept for the next ones (cleared: no removed series held). */
  readonly #entries: (StoredSeries | undefined)[] = [];
  #length = 0;
  /** Pairs: a generation, then the index of its first entry; generations ascending. */
  readonly #starts: number[] = [];
  /** The generation of the last entry (-1: none yet). */
  #lastGeneration = -1;

  constructor(family: Family<StoredSeries>, feed: ChangeFeed) {
    this.family = family;
    this.#feed = feed;
  }

  /** Records that `series` was written in `generation` (once per generation: the caller checks its previous stamp). */
  append(series: StoredSeries, generation: number): void {
    const first = generation !== this.#lastGeneration;
    if (first) {
      this.#lastGeneration = generation;
      this.#starts.push(generation, this.#length);
    }
    // Written in place: the array keeps its room across compactions instead of shrinking and growing again.
    this.#entries[this.#length++] = series;
    // Only once the entry is in: `touched` may compact this log, which drops a generation that
    // has no entry yet (and the entry would then land in the generation before it, unseen).
    if (first) this.#feed.touched(this, generation);
    if (this.#length > 2 * this.family.series.size + LOG_SLACK) this.compact();
  }

  /** Adds the current entries written after `generation` to `into`; returns the entries visited. */
  collectSince(generation: number, into: WrittenSeries[]): number {
    const starts = this.#starts;
    let segment = starts.length - 2;
    while (segment >= 2 && starts[segment - 2]! > generation) segment -= 2;
    if (segment < 0 || starts[segment]! <= generation) return 0;
    const entries = this.#entries;
    for (let s = segment; s < starts.length; s += 2) {
      const end = s + 2 < starts.length ? starts[s + 3]! : this.#length;
      for (let i = starts[s + 1]!; i < end; i++) {
        const series = entries[i]!;
        if (this.#isCurrent(series, starts[s]!)) into.push({ family: this.family, series });
      }
    }
    return this.#length - starts[segment + 1]!;
  }

  /** Keeps only the current entries, in place; false when none is left (the family's series are all gone). */
  compact(): boolean {
    const entries = this.#entries;
    const starts = this.#starts;
    const segments = starts.length;
    const length = this.#length;
    let kept = 0;
    let keptStarts = 0;
    for (let s = 0; s < segments; s += 2) {
      const generation = starts[s]!;
      const end = s + 2 < segments ? starts[s + 3]! : length;
      const first = kept;
      for (let i = starts[s + 1]!; i < end; i++) {
        const series = entries[i]!;
        if (series.written.generation === generation) entries[kept++] = series;
      }
      if (kept > first) {
        starts[keptStarts++] = generation;
        starts[keptStarts++] = first;
      }
    }
    entries.fill(undefined, kept, length);
    this.#length = kept;
    starts.length = keptStarts;
    this.#lastGeneration = keptStarts === 0 ? -1 : starts[keptStarts - 2]!;
    return kept > 0;
  }

  /**
   * The entry of `series` in `generation` is its last write: a later write, a removal (its stamp
   * marked) or a replacement by another object of the same labels (the family holds that one) make
   * it stale.
   */
  #isCurrent(series: StoredSeries, generation: number): boolean {
    return series.written.generation === generation && this.family.series.get(series.labelText) === series;
  }
}
