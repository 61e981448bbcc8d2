import type { LabelPairs } from './labelPairs.ts';
import { renderFixedLabel, type LabelPlan } from './labelPlan.ts';
import { parseLabelText, quoteLabelName } from './labelText.ts';

/**
 * How the label texts of many series are laid out, shared by them: what a series keeps besides its
 * text so that its labels can be given as pairs (remote write, protobuf) without parsing the text
 * back. One per sequence of attribute keys and context (resource and scope), as the label rule
 * planned them: the names, their order and the context labels' values are known, so only the
 * values are cut out of the text.
 */
export interface LabelLayout {
  /** The label pairs of a label text laid out this way, sorted by name. */
  pairsOf(labelText: string): LabelPairs;
  /** What recreates it (`buildLabelLayout`): for state kept across restarts. */
  describe(): LabelLayoutDescription;
}

/**
 * A layout as plain data: `planned`, its labels in order, a context label with its value (null for
 * an attribute label); `fixed`, its pairs; `parsed`, none (the text is parsed back).
 */
export type LabelLayoutDescription =
  | { readonly kind: 'planned'; readonly labels: readonly (readonly [name: string, fixed: string | null])[] }
  | { readonly kind: 'fixed'; readonly pairs: LabelPairs }
  | { readonly kind: 'parsed' };

/** `LabelLayout.describe()`'s inverse: a layout giving the same pairs for the same texts. */
export function buildLabelLayout(description: LabelLayoutDescription): LabelLayout {
  switch (description.kind) {
    case 'planned':
      return new PlannedLabelLayout({
        labels: description.labels.map(([name, fixed]) => ({ name, head: `${quoteLabelName(name)}="`, keys: [], fixed: fixed ?? undefined, fallback: undefined })),
        dropped: [],
      });
    case 'fixed':
      return new FixedLabelLayout(description.pairs);
    case 'parsed':
      return PARSED_LABEL_LAYOUT;
  }
}

/** What a label text could hold at one place: a context label (its pair and text known) or an attribute label (its name known). */
type LaidOutLabel =
  | { readonly pair: readonly [string, string]; readonly text: string }
  | { readonly pair: undefined; readonly name: string; readonly head: string };

/** The layout of the texts a `LabelPlan` gives: context labels are taken whole, attribute labels' values cut out. */
export class PlannedLabelLayout implements LabelLayout {
  readonly #labels: readonly LaidOutLabel[];

  constructor(plan: LabelPlan) {
    this.#labels = plan.labels.map((label) =>
      label.fixed !== undefined ? { pair: [label.name, label.fixed] as const, text: renderFixedLabel(label) } : { pair: undefined, name: label.name, head: label.head },
    );
  }

  pairsOf(labelText: string): LabelPairs {
    const escaped = labelText.includes('\\');
    const pairs: (readonly [string, string])[] = [];
    let at = 0;
    for (const label of this.#labels) {
      if (label.pair !== undefined) {
        pairs.push(label.pair);
        at += label.text.length + 1; // and the comma
      } else if (hasAt(labelText, label.head, at)) {
        // An attribute label without a value is left out of the text: it is there when its head is.
        const start = at + label.head.length;
        const end = escaped ? closingQuote(labelText, start) : labelText.indexOf('"', start);
        const value = labelText.slice(start, end);
        pairs.push([label.name, escaped ? unescapeLabelValue(value) : value]);
        at = end + 2; // after `",`
      }
    }
    return pairs;
  }

  describe(): LabelLayoutDescription {
    return { kind: 'planned', labels: this.#labels.map((label) => (label.pair === undefined ? [label.name, null] : label.pair)) };
  }
}

/** Label pairs known when the series is made (`target_info`): kept as they are. */
export class FixedLabelLayout implements LabelLayout {
  readonly #pairs: LabelPairs;

  constructor(pairs: LabelPairs) {
    this.#pairs = pairs;
  }

  pairsOf(): LabelPairs {
    return this.#pairs;
  }

  describe(): LabelLayoutDescription {
    return { kind: 'fixed', pairs: this.#pairs };
  }
}

/** For texts built without a plan: parsed back, the slow way. */
export const PARSED_LABEL_LAYOUT: LabelLayout = { pairsOf: parseLabelText, describe: () => ({ kind: 'parsed' }) };

/** The index of the quote closing the escaped value that starts at `start`. */
function closingQuote(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

/** `escapeLabelValue`'s inverse. */
function unescapeLabelValue(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Whether `text` has `head` at `at` (faster than `startsWith` with a position, for these short heads). */
function hasAt(text: string, head: string, at: number): boolean {
  const n = head.length;
  if (at + n > text.length) return false;
  for (let i = 0; i < n; i++) if (text.charCodeAt(at + i) !== head.charCodeAt(i)) return false;
  return true;
}
