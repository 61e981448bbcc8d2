import type { Series } from '../../model/family.ts';
import type { LabelPairs } from '../../translate/labelPairs.ts';
import { escapeLabelValue, quoteLabelName } from '../../translate/labelText.ts';
import { escapeLabelNameFor, type EscapingScheme } from '../escaping/nameEscaping.ts';

/**
 * Writes series' label texts with their label names as a scraper that asked for `scheme` reads
 * them. The text the store keeps is used as it is unless it may hold a UTF-8 (quoted) name: the
 * default translation gives legacy names only, and a scrape of them must cost no more than before.
 * One per family written: its series share their label names, each escaped once.
 */
export class LabelTextEscaper {
  readonly #scheme: EscapingScheme;
  /** Label names as written: escaped, and quoted should one still need it. */
  readonly #written = new Map<string, string>();

  constructor(scheme: EscapingScheme) {
    this.#scheme = scheme;
  }

  labelTextOf(series: Series): string {
    const text = series.labelText;
    if (this.#scheme === 'allow-utf-8' || !mayHoldQuotedName(text)) return text;
    return this.#render(series.labels);
  }

  /**
   * `a="x",b="y"` from sorted label pairs, names escaped. Names that escape to one name
   * (`http.method` and `http_method` under `underscores`) become one label, where the first stood,
   * its values joined with `;` in the order of the original names (the rule for colliding attribute
   * keys, MAPPING.md "Labels" 2): a scraper refuses a label name twice in a series.
   */
  #render(labels: LabelPairs): string {
    const names: string[] = [];
    const values: string[] = [];
    for (const [name, value] of labels) {
      const written = this.#nameOf(name);
      const earlier = names.indexOf(written); // a handful of labels: a scan beats a map
      if (earlier < 0) {
        names.push(written);
        values.push(value);
      } else {
        values[earlier] += `;${value}`;
      }
    }
    let text = '';
    for (let i = 0; i < names.length; i++) {
      if (i > 0) text += ',';
      text += `${names[i]!}="${escapeLabelValue(values[i]!)}"`;
    }
    return text;
  }

  #nameOf(name: string): string {
    let written = this.#written.get(name);
    if (written === undefined) {
      written = quoteLabelName(escapeLabelNameFor(name, this.#scheme));
      this.#written.set(name, written);
    }
    return written;
  }
}

/**
 * Whether a label text may hold a quoted name: one starts the text or follows a `,`. A value
 * ending in `,` gives a `,"` too (`a="x,",b="y"`); it only costs the slow path, which writes the
 * same text then.
 */
function mayHoldQuotedName(labelText: string): boolean {
  return labelText.charCodeAt(0) === 0x22 || labelText.includes(',"');
}
