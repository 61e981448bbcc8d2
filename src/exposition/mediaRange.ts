/** One media range of an `Accept` header: `application/openmetrics-text;version=1.0.0;q=0.75`. */
export interface MediaRange {
  /** Type and subtype, lower case: `application/openmetrics-text`, `text/*`, `*\/*`. */
  readonly type: string;
  /** Parameters other than `q`, names lower case, values unquoted (`version`, `escaping`, `proto`, `encoding`). */
  readonly params: ReadonlyMap<string, string>;
  /** Its weight: 1 when absent, 0 when not a number. */
  readonly q: number;
}

/** The media ranges of an `Accept` header, in the order given; none for an absent or empty header. */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (accept === undefined || accept === '') return [];
  return accept.split(',').map(parseMediaRange);
}

function parseMediaRange(range: string): MediaRange {
  const [typePart, ...paramParts] = range.split(';');
  const params = new Map<string, string>();
  let q = 1;
  for (const param of paramParts) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1).trim().replace(/^"|"$/g, '');
    if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
    else params.set(key, value);
  }
  return { type: (typePart ?? '').trim().toLowerCase(), params, q };
}
