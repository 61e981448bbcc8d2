import type { Family } from '../../model/family.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../../translate/exponentialBuckets.ts';
import type { ChunkTextCache } from '../chunkTextCache.ts';
import type { RenderOptions } from '../expositionFormat.ts';
import { writeFamilyChunks, type SampleFormat } from './writeFamily.ts';

function formatOf(openMetrics: boolean, options: RenderOptions): SampleFormat {
  return {
    openMetrics,
    appendTimestamp: options.appendTimestamp ?? false,
    maxExponentialBuckets: options.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS,
    escaping: options.escaping ?? 'allow-utf-8',
    createdLines: options.createdLines ?? false,
  };
}

/**
 * The text exposition (text 0.0.4 or 1.0.0, which are the same lines, or OpenMetrics) in chunks
 * (see `writeFamilyChunks`), the families in the order given, ending with `# EOF` in OpenMetrics.
 * With a cache (not used with `appendTimestamp`), chunks are taken from it when their series have
 * not changed, and kept there once written.
 */
export function* renderChunks(families: Iterable<Family>, openMetrics: boolean, options: RenderOptions, cache?: ChunkTextCache): Generator<string> {
  const format = formatOf(openMetrics, options);
  // One set of kept chunks per dialect and escaping: the same series are other text in each. Both
  // text versions write the same text, and share theirs.
  const kept = format.appendTimestamp ? undefined : cache?.forFormat(openMetrics ? 'openmetrics' : 'text', format.escaping);
  for (const family of families) yield* writeFamilyChunks(family, format, kept);
  if (openMetrics) yield '# EOF\n';
}
