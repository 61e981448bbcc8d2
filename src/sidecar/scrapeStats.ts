import type { ExpositionFormat } from '../exposition/negotiate.ts';

/** Upper bounds of the scrape duration histogram, in seconds (without +Inf). */
export const SCRAPE_DURATION_BOUNDS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the scrapes in one format added up to. */
export interface FormatScrapes {
  readonly format: ExpositionFormat;
  readonly count: number;
  /** Bytes of exposition rendered (before gzip). */
  readonly bytes: number;
  /** Per-bucket counts of render durations (not cumulative), one more than the bounds. */
  readonly durationCounts: readonly number[];
  readonly durationSumSeconds: number;
}

const FORMATS: readonly ExpositionFormat[] = ['openmetrics', 'text'];

interface Tally {
  count: number;
  bytes: number;
  durationCounts: number[];
  durationSumSeconds: number;
}

/**
 * Counts of the sidecar's scrapes by format: how many, how long each took to render and how many
 * bytes it gave. Both formats start at 0, so their series exist before the first scrape.
 */
export class ScrapeStats {
  readonly #byFormat = new Map<ExpositionFormat, Tally>(
    FORMATS.map((format) => [format, { count: 0, bytes: 0, durationCounts: new Array<number>(SCRAPE_DURATION_BOUNDS_SECONDS.length + 1).fill(0), durationSumSeconds: 0 }]),
  );

  /** Records one scrape rendered in `format`, of `bytes` bytes, in `seconds`. */
  record(format: ExpositionFormat, seconds: number, bytes: number): void {
    const tally = this.#byFormat.get(format);
    if (tally === undefined) return;
    tally.count++;
    tally.bytes += bytes;
    const duration = Math.max(0, seconds);
    tally.durationSumSeconds += duration;
    const bucket = SCRAPE_DURATION_BOUNDS_SECONDS.findIndex((bound) => duration <= bound);
    tally.durationCounts[bucket === -1 ? SCRAPE_DURATION_BOUNDS_SECONDS.length : bucket]!++;
  }

  /** The scrapes so far, per format (copies). */
  byFormat(): FormatScrapes[] {
    return [...this.#byFormat].map(([format, tally]) => ({ format, count: tally.count, bytes: tally.bytes, durationCounts: [...tally.durationCounts], durationSumSeconds: tally.durationSumSeconds }));
  }
}
