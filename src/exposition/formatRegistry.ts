import type { ExpositionFormat } from './expositionFormat.ts';
import { parseAccept } from './mediaRange.ts';

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
   * `application/openmetrics-text;version=1.0.0,…;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`):
   * the format of the acceptable media range with the highest q, the one registered first on a tie;
   * the fallback when no range with q above 0 is one a format accepts. `textOnly`: binary formats
   * are passed over (for `render()`, which answers with a string).
   */
  negotiate(accept: string | undefined, textOnly = false): ExpositionFormat {
    const candidates = textOnly ? this.formats.filter((format) => !format.binary) : this.formats;
    let best = this.fallback;
    let bestQ = 0;
    let bestRank = candidates.length;
    for (const range of parseAccept(accept)) {
      if (range.q <= 0) continue;
      const rank = candidates.findIndex((format) => format.accepts(range));
      if (rank < 0) continue;
      if (range.q > bestQ || (range.q === bestQ && rank < bestRank)) {
        best = candidates[rank]!;
        bestQ = range.q;
        bestRank = rank;
      }
    }
    return best;
  }
}
