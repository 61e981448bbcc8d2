import { EXPOSITION_FORMATS } from '../exposition/expositionFormats.ts';

/** Upper bounds of the scrape duration histogram, in seconds (without +Inf). */
export const SCRAPE_DURATION_BOUNDS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How a scrape ended: `completed` once its last chunk was rendered and handed to the response,
 * `aborted` when it stopped before (the client closed the connection, or rendering failed midway).
 */
export const SCRAPE_OUTCOMES = ['completed', 'aborted'] as const;
export type ScrapeOutcome = (typeof SCRAPE_OUTCOMES)[number];

/** What the scrapes in one format added up to. */
export interface FormatScrapes {
  readonly format: string;
  readonly completed: number;
  readonly aborted: number;
  /** Bytes of exposition rendered for completed scrapes (before gzip). */
  readonly bytes: number;
  /** Per-bucket counts of completed scrapes' durations (not cumulative), one more than the bounds. */
  readonly durationCounts: readonly number[];
  readonly durationSumSeconds: number;
}

/** The names of the formats served (`ExpositionFormat.name`), OpenMetrics and text. */
const FORMATS: readonly string[] = EXPOSITION_FORMATS.formats.map((format) => format.name);

interface Tally {
  completed: number;
  aborted: number;
  bytes: number;
  durationCounts: number[];
  durationSumSeconds: number;
}

/**
 * Counts of the sidecar's scrapes by format and outcome, and for completed ones how long each took
 * and how many bytes it gave. Every format and outcome starts at 0, so their series exist before
 * the first scrape.
 */
export class ScrapeStats {
  readonly #byFormat = new Map<string, Tally>(
    FORMATS.map((format) => [format, { completed: 0, aborted: 0, bytes: 0, durationCounts: new Array<number>(SCRAPE_DURATION_BOUNDS_SECONDS.length + 1).fill(0), durationSumSeconds: 0 }]),
  );

  /** Records one scrape rendered whole in `format`, of `bytes` bytes, in `seconds`. */
  recordCompleted(format: string, seconds: number, bytes: number): void {
    const tally = this.#byFormat.get(format);
    if (tally === undefined) return;
    tally.completed++;
    tally.bytes += bytes;
    const duration = Math.max(0, seconds);
    tally.durationSumSeconds += duration;
    const bucket = SCRAPE_DURATION_BOUNDS_SECONDS.findIndex((bound) => duration <= bound);
    tally.durationCounts[bucket === -1 ? SCRAPE_DURATION_BOUNDS_SECONDS.length : bucket]!++;
  }

  /** Records one scrape in `format` that stopped before its end (its duration and bytes are not counted). */
  recordAborted(format: string): void {
    const tally = this.#byFormat.get(format);
    if (tally !== undefined) tally.aborted++;
  }

  /** The scrapes so far, per format (copies). */
  byFormat(): FormatScrapes[] {
    return [...this.#byFormat].map(([format, tally]) => ({ ...tally, format, durationCounts: [...tally.durationCounts] }));
  }
}
