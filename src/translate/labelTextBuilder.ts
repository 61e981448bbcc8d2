import { escapeLabelValue } from './labelText.ts';
import { PlannedLabelLayout, type LabelLayout } from './labelLayout.ts';
import { mergedValueOf, planLabels, renderFixedLabel, reportDroppedKeys, type ContextLabels, type LabelPlan, type LabelSetOptions } from './labelPlan.ts';
import type { Attributes } from '../otelData/otelData.ts';

/** One label of the output, in label-name order. */
type LabelStep =
  /** Context labels with nothing between them, written as they are (`job="x",instance="y"`). */
  | { readonly fixed: string }
  /**
   * A label from attributes: `head` is `name="`; the values of `keys` (merged with `;` in this
   * order); `fallback`, the escaped value of a context default of that name, when they are all empty.
   */
  | { readonly fixed: undefined; readonly head: string; readonly keys: readonly string[]; readonly fallback: string | undefined };

/** Attribute values label texts are kept by (compared by value as Map keys; objects are not). */
type PlainValue = string | number | boolean;

/** Label texts built for one key shape, by the attribute values in key order: one level per key, the text at the last. */
type TextsByValue = Map<PlainValue, TextsByValue | string>;

/** What one sequence of attribute keys turns into, worked out once. */
interface KeyShape {
  readonly plan: LabelPlan;
  readonly steps: readonly LabelStep[];
  /** The layout of its texts, made when a series first asks for it. */
  layout: LabelLayout | undefined;
  /** When texts are kept, those kept so far, by the attribute values in key order. */
  textsByValue: TextsByValue | undefined;
  /** When texts are kept, the text of a shape without keys. */
  onlyText: string | undefined;
}

interface ShapeNode {
  shape: KeyShape | undefined;
  readonly next: Map<string, ShapeNode>;
}

/** How many texts and key shapes the builders sharing it kept: what their owner bounds. */
export interface KeptCount {
  entries: number;
}

/** Whether a label text just built is worth keeping (its series exists, or may be created). */
export type KeepsText = (labelText: string) => boolean;

const KEEP_ALL: KeepsText = () => true;

/** What a builder that keeps its texts shares and falls back on. */
export interface TextKeeping {
  /** Counted up for each text and key shape kept. */
  readonly kept: KeptCount;
  /** The builder of the same context and options from the previous generation: its texts and shapes are taken over when asked for again. */
  readonly older?: LabelTextBuilder | undefined;
}

/**
 * A series' label text (`a="x",b="y"`) straight from its attributes, the same text as
 * `renderLabelText(buildLabelPairs(attributes, context, options))` without building label pairs.
 * Everything that depends only on the attribute keys (sanitizing, sorting, merging keys into one
 * name, where the context labels go) is worked out once per sequence of keys and kept; per point
 * only the values are formatted and escaped. For one context (resource and scope) and options.
 *
 * With `keeping` (the sidecar), the texts built are also kept by attribute values (strings,
 * numbers, booleans), so that a series already seen costs a few lookups by values the decoder
 * hands over as the same string instances, and its text is the very string its series is keyed by
 * (found without hashing it again). A text (and a new key shape) is kept only if `keepsText` says
 * so, so that a point refused for the series limit leaves nothing behind; what is kept is counted
 * in `keeping.kept` for the owner to bound, by starting a new builder that takes over from this one
 * only what is asked for again (`older`).
 */
export class LabelTextBuilder {
  readonly #context: ContextLabels;
  readonly #options: LabelSetOptions;
  readonly #kept: KeptCount | undefined;
  #older: LabelTextBuilder | undefined;
  readonly #shapes: ShapeNode = { shape: undefined, next: new Map() };
  /** The parts of the label text being built (reused: building runs to its end before the next one). */
  readonly #parts: string[] = [];

  constructor(context: ContextLabels, options: LabelSetOptions, keeping?: TextKeeping) {
    this.#context = context;
    this.#options = options;
    this.#kept = keeping?.kept;
    this.#older = keeping?.older;
  }

  /** `keepsText`: asked about a text not kept yet, whether to keep it (default: always). */
  labelTextOf(attributes: Attributes, keepsText: KeepsText = KEEP_ALL): string {
    const keys = Object.keys(attributes);
    const keptShape = findShape(this.#shapes, keys);
    const shape = keptShape ?? this.#newShape(keys);
    reportDroppedKeys(shape.plan, attributes, this.#options);
    if (this.#kept === undefined) {
      if (keptShape === undefined) this.#keepShape(keys, shape);
      return this.#build(shape, attributes);
    }
    const plain = hasPlainValues(attributes, keys);
    if (plain && keptShape !== undefined) {
      const kept = keys.length === 0 ? keptShape.onlyText : findText(keptShape.textsByValue, keys, attributes);
      if (kept !== undefined) return kept;
    }
    // Built and not kept when a value is an object.
    const older = plain ? this.#older : undefined;
    const text = (older === undefined ? undefined : older.#keptTextOf(keys, attributes)) ?? this.#build(shape, attributes);
    if (!keepsText(text)) return text;
    if (keptShape === undefined) this.#keepShape(keys, shape);
    if (plain) this.#keepText(shape, keys, attributes, text);
    return text;
  }

  /**
   * How the texts of these attributes' keys are laid out: what a new series keeps to give its
   * labels as pairs. Shared by every series of the same keys (one lookup by keys; no drops counted).
   */
  layoutOf(attributes: Attributes): LabelLayout {
    const keys = Object.keys(attributes);
    const shape = findShape(this.#shapes, keys) ?? this.#newShape(keys);
    return (shape.layout ??= new PlannedLabelLayout(shape.plan));
  }

  /** Lets go of the previous generation's builder (what was not taken over from it goes with it). */
  forgetOlder(): void {
    this.#older = undefined;
  }

  /** A shape for keys not kept yet: the older builder's (its texts not taken), or worked out. */
  #newShape(keys: readonly string[]): KeyShape {
    const older = this.#older === undefined ? undefined : findShape(this.#older.#shapes, keys);
    return older === undefined ? this.#buildShape(keys) : { ...older, textsByValue: undefined, onlyText: undefined };
  }

  #keepShape(keys: readonly string[], shape: KeyShape): void {
    let node = this.#shapes;
    for (const key of keys) {
      let next = node.next.get(key);
      if (next === undefined) {
        next = { shape: undefined, next: new Map() };
        node.next.set(key, next);
      }
      node = next;
    }
    node.shape = shape;
    if (this.#kept !== undefined) this.#kept.entries++;
  }

  #keepText(shape: KeyShape, keys: readonly string[], attributes: Attributes, text: string): void {
    this.#kept!.entries++;
    if (keys.length === 0) {
      shape.onlyText = text;
      return;
    }
    let node = (shape.textsByValue ??= new Map());
    const last = keys.length - 1;
    for (let i = 0; i < last; i++) {
      const value = attributes[keys[i]!] as PlainValue;
      let next = node.get(value) as TextsByValue | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    node.set(attributes[keys[last]!] as PlainValue, text);
  }

  /** The text this builder kept for these keys and (plain) values, if any. */
  #keptTextOf(keys: readonly string[], attributes: Attributes): string | undefined {
    const shape = findShape(this.#shapes, keys);
    if (shape === undefined) return undefined;
    return keys.length === 0 ? shape.onlyText : findText(shape.textsByValue, keys, attributes);
  }

  /**
   * The label text, joined from its parts in one go: a flat string, which a series keeps at its
   * length (text grown by `+` would be a tree of pieces, several times larger) and which hashes
   * without being copied first.
   */
  #build(shape: KeyShape, attributes: Attributes): string {
    const parts = this.#parts;
    parts.length = 0;
    for (const step of shape.steps) {
      const start = parts.length;
      if (start > 0) parts.push(',');
      if (step.fixed !== undefined) {
        parts.push(step.fixed);
        continue;
      }
      const value = mergedValueOf(attributes, step.keys);
      if (value !== '') parts.push(step.head, escapeLabelValue(value), '"');
      else if (step.fallback !== undefined) parts.push(step.head, step.fallback, '"');
      else parts.length = start; // an empty value is no label in Prometheus (nor a separator)
    }
    return parts.join('');
  }

  /** The label rule's plan for these keys (`planLabels`, which `buildLabelPairs` follows too), as steps: context labels with nothing between them are joined. */
  #buildShape(keys: readonly string[]): KeyShape {
    const plan = planLabels(keys, this.#context, this.#options);
    const steps: LabelStep[] = [];
    for (const label of plan.labels) {
      const last = steps.at(-1);
      if (label.fixed === undefined) {
        const fallback = label.fallback === undefined ? undefined : escapeLabelValue(label.fallback);
        steps.push({ fixed: undefined, head: label.head, keys: label.keys, fallback });
      } else if (last?.fixed !== undefined) {
        steps[steps.length - 1] = { fixed: `${last.fixed},${renderFixedLabel(label)}` };
      } else {
        steps.push({ fixed: renderFixedLabel(label) });
      }
    }
    return { plan, steps, layout: undefined, textsByValue: undefined, onlyText: undefined };
  }
}

/** The shape kept for this sequence of keys, if any. */
function findShape(root: ShapeNode, keys: readonly string[]): KeyShape | undefined {
  let node: ShapeNode | undefined = root;
  for (const key of keys) {
    node = node.next.get(key);
    if (node === undefined) return undefined;
  }
  return node.shape;
}

/** The text kept for these (plain) values of at least one key, if any. */
function findText(texts: TextsByValue | undefined, keys: readonly string[], attributes: Attributes): string | undefined {
  let node: TextsByValue | string | undefined = texts;
  for (const key of keys) {
    if (node === undefined) return undefined;
    node = (node as TextsByValue).get(attributes[key] as PlainValue);
  }
  return node as string | undefined;
}

/** Whether every value is a string, number or boolean (what texts are kept by). */
function hasPlainValues(attributes: Attributes, keys: readonly string[]): boolean {
  for (const key of keys) if (!isPlainValue(attributes[key])) return false;
  return true;
}

function isPlainValue(value: unknown): value is PlainValue {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}
