import { DEFAULT_ESCAPING, toEscapingScheme, type EscapingScheme } from './escaping/nameEscaping.ts';
import type { ExpositionFormat } from './expositionFormat.ts';
import { parseAccept, type MediaRange } from './mediaRange.ts';

/** What a scrape is answered with: the format, how it writes names, and the `Content-Type` saying both. */
export interface NegotiatedFormat {
  readonly format: ExpositionFormat;
  readonly escaping: EscapingScheme;
  /** The format's content type and the escaping, as client_golang names it: `…; charset=utf-8; escaping=underscores`. */
  readonly contentType: string;
}

/**
 * The formats a pull output serves, in order of preference on a tie, and the one it falls back on
 * when an `Accept` header asks for none of them (or for nothing).
 */
export class FormatRegistry {
  readonly formats: readonly ExpositionFormat[];
  readonly fallback: ExpositionFormat;

  constructor(formats: readonly ExpositionFormat[], fallback: ExpositionFormat) {
    const names = formats.map((format) => format.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw new Error(`Two exposition formats are named ${JSON.stringify(repeated)}; each needs a name of its own.`);
    if (!formats.includes(fallback)) throw new Error(`The fallback exposition format ${JSON.stringify(fallback.name)} must be one of the registered formats.`);
    if (fallback.binary) throw new Error(`The fallback exposition format ${JSON.stringify(fallback.name)} must write text: browsers and curl get it.`);
    this.formats = formats;
    this.fallback = fallback;
  }

  /**
   * The format an `Accept` header asks for (as Prometheus sends it:
   * `application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,…,*\/*;q=0.2`): the
   * format of the acceptable media range with the highest q, the one registered first on a tie; the
   * fallback when no range with q above 0 is one a format accepts. The escaping is that range's
   * `escaping` parameter, `underscores` when it names none we know (so UTF-8 names reach only the
   * scrapers that ask for them). `textOnly`: binary formats are passed over (for `render()`, which
   * answers with a string).
   */
  negotiate(accept: string | undefined, textOnly = false): NegotiatedFormat {
    const candidates = textOnly ? this.formats.filter((format) => !format.binary) : this.formats;
    let best: { format: ExpositionFormat; range: MediaRange } | undefined;
    let bestQ = 0;
    let bestRank = candidates.length;
    for (const range of parseAccept(accept)) {
      if (range.q <= 0) continue;
      const rank = candidates.findIndex((format) => format.accepts(range));
      if (rank < 0) continue;
      if (range.q > bestQ || (range.q === bestQ && rank < bestRank)) {
        best = { format: candidates[rank]!, range };
        bestQ = range.q;
        bestRank = rank;
      }
    }
    if (best === undefined) return withEscaping(this.fallback, DEFAULT_ESCAPING);
    return withEscaping(best.format, toEscapingScheme(best.range.params.get('escaping')));
  }
}

/** A format answered with names escaped by `escaping`, and its content type naming the escaping. */
export function withEscaping(format: ExpositionFormat, escaping: EscapingScheme): NegotiatedFormat {
  return { format, escaping, contentType: `${format.contentType}; escaping=${escaping}` };
}
