import type { Family } from '../model/family.ts';
import type { ChunkTextCache } from './chunkTextCache.ts';
import type { EscapingScheme } from './escaping/nameEscaping.ts';
import type { MediaRange } from './mediaRange.ts';

/** A piece of an exposition as a format writes it: text, or bytes for a binary format. */
export type ExpositionChunk = string | Uint8Array;

export interface RenderOptions {
  /** Write each sample's time (the point's end time). Default false: Prometheus stamps the scrape. */
  readonly appendTimestamp?: boolean;
  /** Bound on the classic buckets of a converted exponential histogram. */
  readonly maxExponentialBuckets?: number;
  /**
   * How metric and label names outside the legacy character set are written: as the scraper
   * negotiated (`escaping=` in its `Accept` header). A writer called directly writes names as they
   * are. @default 'allow-utf-8'
   */
  readonly escaping?: EscapingScheme;
  /** OpenMetrics: a `_created` line (the series' start time, in seconds) for counters, histograms and summaries that know it. @default false */
  readonly createdLines?: boolean;
}

/**
 * One exposition format, as the pull output serves it: which media ranges of an `Accept` header it
 * answers, the content type it answers with, and its writer. A new format is a folder of its own
 * implementing this, and one line in `EXPOSITION_FORMATS`; the server streams its chunks as they
 * come, text or bytes.
 */
export interface ExpositionFormat {
  /** Short and stable: the `format` label of the sidecar's scrape metrics. */
  readonly name: string;
  /** The response's `Content-Type`. */
  readonly contentType: string;
  /** Whether `write` gives bytes (`Uint8Array` chunks) rather than text; `render()` serves text formats only. */
  readonly binary: boolean;
  /** Whether this format answers a media range of an `Accept` header (its q is weighed by the registry). */
  accepts(range: MediaRange): boolean;
  /**
   * The families' exposition in chunks, in the order given, each chunk a few tens of KiB of whole
   * series, written as the consumer asks for them (so that it may let other work run between).
   * `cache`: chunks kept from earlier scrapes, for formats that use one (see `ChunkTextCache`).
   */
  write(families: Iterable<Family>, options: RenderOptions, cache?: ChunkTextCache): Iterable<ExpositionChunk>;
}
