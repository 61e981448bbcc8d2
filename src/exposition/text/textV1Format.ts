import type { ExpositionFormat } from '../expositionFormat.ts';
import type { MediaRange } from '../mediaRange.ts';
import { renderChunks } from '../textLines/renderChunks.ts';

export const TEXT_V1_CONTENT_TYPE = 'text/plain; version=1.0.0; charset=utf-8';

/**
 * Prometheus text format 1.0.0: the lines of 0.0.4, under the version that tells a scraper UTF-8
 * names may come quoted (Prometheus 3 asks for it with `escaping=allow-utf-8`). Only for
 * `text/plain;version=1.0.0`: `text/plain` without a version, `text/*` and `*\/*` stay 0.0.4's, for
 * the scrapers and tools that read nothing newer.
 */
export const textV1Format: ExpositionFormat = {
  name: 'text-1.0.0',
  contentType: TEXT_V1_CONTENT_TYPE,
  binary: false,
  accepts(range: MediaRange): boolean {
    return range.type === 'text/plain' && range.params.get('version') === '1.0.0';
  },
  write: (families, options, cache) => renderChunks(families, false, options, cache),
};
