import type { Family } from '../model/family.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../translate/exponentialBuckets.ts';
import { writeFamilyChunks, type ChunkTexts, type SampleFormat } from './writeFamily.ts';

export interface RenderOptions {
  /** Write each sample's time (the point's end time). Default false: Prometheus stamps the scrape. */
  readonly appendTimestamp?: boolean;
  /** Bound on the classic buckets of a converted exponential histogram. */
  readonly maxExponentialBuckets?: number;
}

function formatOf(openMetrics: boolean, options: RenderOptions): SampleFormat {
  return {
    openMetrics,
    appendTimestamp: options.appendTimestamp ?? false,
    maxExponentialBuckets: options.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS,
  };
}

/**
 * Chunks of the exposition kept once written, each by the data objects of its series, so that a
 * chunk whose series all hold the same data objects is served again without being written again.
 * For a source whose series' data objects never change once built and stay with one series of
 * one family: the periodic reader's snapshots, which keep a series' data object while its numbers
 * stay the same. A scrape of an unchanged snapshot then costs about a copy of its bytes, and one
 * after a collection writes anew only the chunks (of 1,024 series) where something changed.
 * For one set of render options, without `appendTimestamp` (the time changes without the data).
 * Data objects let go of take their chunks with them.
 */
export class ChunkTextCache {
  readonly #text: ChunkTexts = new WeakMap();
  readonly #openMetrics: ChunkTexts = new WeakMap();

  forFormat(openMetrics: boolean): ChunkTexts {
    return openMetrics ? this.#openMetrics : this.#text;
  }
}

/**
 * The exposition in chunks (see `writeFamilyChunks`), the families in the order given, ending with
 * `# EOF` in OpenMetrics. With a cache (not used with `appendTimestamp`), chunks are taken from it
 * when their series have not changed, and kept there once written.
 */
export function* renderChunks(families: Iterable<Family>, openMetrics: boolean, options: RenderOptions, cache?: ChunkTextCache): Generator<string> {
  const format = formatOf(openMetrics, options);
  const kept = format.appendTimestamp ? undefined : cache?.forFormat(openMetrics);
  for (const family of families) yield* writeFamilyChunks(family, format, kept);
  if (openMetrics) yield '# EOF\n';
}

/** Prometheus text format 0.0.4. */
export function renderText(families: Iterable<Family>, options: RenderOptions = {}): string {
  return [...renderChunks(families, false, options)].join('');
}

/** OpenMetrics 1.0.0 text, ending with `# EOF`. */
export function renderOpenMetrics(families: Iterable<Family>, options: RenderOptions = {}): string {
  return [...renderChunks(families, true, options)].join('');
}
