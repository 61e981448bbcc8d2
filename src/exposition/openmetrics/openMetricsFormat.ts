import type { Family } from '../../model/family.ts';
import type { ExpositionFormat, RenderOptions } from '../expositionFormat.ts';
import type { MediaRange } from '../mediaRange.ts';
import { renderChunks } from '../textLines/renderChunks.ts';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * OpenMetrics 1.0.0 text, ending with `# EOF`, for `application/openmetrics-text` without a version,
 * 1.0.0 or 0.0.1 (which Prometheus reads the same; versions we do not know are not claimed).
 */
export const openMetricsFormat: ExpositionFormat = {
  name: 'openmetrics',
  contentType: OPENMETRICS_CONTENT_TYPE,
  binary: false,
  accepts(range: MediaRange): boolean {
    if (range.type !== 'application/openmetrics-text') return false;
    const version = range.params.get('version');
    return version === undefined || version === '1.0.0' || version === '0.0.1';
  },
  write: (families, options, cache) => renderChunks(families, true, options, cache),
};

/** The whole OpenMetrics 1.0.0 exposition as one string, ending with `# EOF`. */
export function renderOpenMetrics(families: Iterable<Family>, options: RenderOptions = {}): string {
  return [...renderChunks(families, true, options)].join('');
}
