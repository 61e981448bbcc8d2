import type { Family } from '../../model/family.ts';
import type { ExpositionFormat, RenderOptions } from '../expositionFormat.ts';
import type { MediaRange } from '../mediaRange.ts';
import { renderChunks } from '../textLines/renderChunks.ts';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Prometheus text format 0.0.4: the default, for `text/plain`, `text/*` and `*\/*` without a version
 * or with 0.0.4 (a version we do not know is not claimed).
 */
export const textFormat: ExpositionFormat = {
  name: 'text',
  contentType: TEXT_CONTENT_TYPE,
  binary: false,
  accepts(range: MediaRange): boolean {
    if (range.type !== 'text/plain' && range.type !== 'text/*' && range.type !== '*/*') return false;
    const version = range.params.get('version');
    return version === undefined || version === '0.0.4';
  },
  write: (families, options, cache) => renderChunks(families, false, options, cache),
};

/** The whole text 0.0.4 exposition as one string. */
export function renderText(families: Iterable<Family>, options: RenderOptions = {}): string {
  return [...renderChunks(families, false, options)].join('');
}
