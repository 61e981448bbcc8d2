import type { LabelPairs } from '../../translate/labelPairs.ts';
import { compareCodeUnits } from '../../translate/labelPairs.ts';
import { escapeLabelNameFor, type EscapingScheme } from '../escaping/nameEscaping.ts';

/**
 * A series' labels with their names as a scraper that asked for an escaping scheme reads them.
 * Names escape the same way every time, so each is escaped once per exposition; a series whose
 * names all stay as they are (the usual case) keeps its own pairs. Two names that escape to one are
 * one label, its values joined with `;` in the order of the original names (MAPPING.md, Labels 2):
 * never a label name twice.
 */
export class EscapedLabels {
  readonly #scheme: EscapingScheme;
  readonly #escaped = new Map<string, string>();

  constructor(scheme: EscapingScheme) {
    this.#scheme = scheme;
  }

  of(labels: LabelPairs): LabelPairs {
    let changed = false;
    for (const [name] of labels) {
      if (this.#escape(name) !== name) {
        changed = true;
        break;
      }
    }
    return changed ? this.#merge(labels) : labels;
  }

  #escape(name: string): string {
    let escaped = this.#escaped.get(name);
    if (escaped === undefined) {
      escaped = escapeLabelNameFor(name, this.#scheme);
      this.#escaped.set(name, escaped);
    }
    return escaped;
  }

  #merge(labels: LabelPairs): LabelPairs {
    // A stable sort by the escaped name keeps the original order among names that became one.
    const renamed = labels.map(([name, value]) => [this.#escape(name), value] as [string, string]).sort((a, b) => compareCodeUnits(a[0], b[0]));
    const merged: [string, string][] = [];
    for (const [name, value] of renamed) {
      const last = merged.at(-1);
      if (last !== undefined && last[0] === name) last[1] = `${last[1]};${value}`;
      else merged.push([name, value]);
    }
    return merged;
  }
}
