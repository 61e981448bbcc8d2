/** The exposition formats the bridge serves. */
export type ExpositionFormat = 'text' | 'openmetrics';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

/**
 * Picks the format from an `Accept` header as Prometheus sends it
 * (`application/openmetrics-text;version=1.0.0,…;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`):
 * the acceptable media range with the highest q wins, OpenMetrics on a tie; text 0.0.4 when nothing
 * better is asked for.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept === '') return 'text';
  let best: ExpositionFormat = 'text';
  let bestQ = 0;
  for (const range of accept.split(',')) {
    const [typePart, ...params] = range.split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    let q = 1;
    let version: string | undefined;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const key = param.slice(0, eq).trim().toLowerCase();
      const value = param.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else if (key === 'version') version = value;
    }
    if (q <= 0) continue;
    const format = formatOfRange(type, version);
    if (format === undefined) continue;
    if (q > bestQ || (q === bestQ && format === 'openmetrics')) {
      best = format;
      bestQ = q;
    }
  }
  return best;
}

function formatOfRange(type: string, version: string | undefined): ExpositionFormat | undefined {
  if (type === 'application/openmetrics-text') {
    // 1.0.0 and 0.0.1 are read the same by Prometheus; versions we do not know are not claimed.
    return version === undefined || version === '1.0.0' || version === '0.0.1' ? 'openmetrics' : undefined;
  }
  if (type === 'text/plain' || type === 'text/*' || type === '*/*') {
    return version === undefined || version === '0.0.4' ? 'text' : undefined;
  }
  return undefined;
}
