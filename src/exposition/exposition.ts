import type { Family } from '../model/family.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../translate/exponentialBuckets.ts';
import { writeFamily, type SampleFormat } from './writeFamily.ts';

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

/** Prometheus text format 0.0.4. */
export function renderText(families: Iterable<Family>, options: RenderOptions = {}): string {
  const format = formatOf(false, options);
  let body = '';
  for (const family of families) body += writeFamily(family, format);
  return body;
}

/** OpenMetrics 1.0.0 text, ending with `# EOF`. */
export function renderOpenMetrics(families: Iterable<Family>, options: RenderOptions = {}): string {
  const format = formatOf(true, options);
  let body = '';
  for (const family of families) body += writeFamily(family, format);
  return `${body}# EOF\n`;
}
