import { escapeLabelValue, quoteLabelName } from '../exposition/escape.ts';
import { formatAttributeValue } from '../translate/attributeValue.ts';
import { sanitizeLabelName } from '../translate/labelName.ts';
import { compareCodeUnits, type ContextLabels, type LabelDropReason, type LabelSetOptions } from '../translate/labelSet.ts';
import type { Attributes } from './otelData.ts';

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
  readonly steps: readonly LabelStep[];
  /** Keys that give no label (invalid or reserved names): counted whenever their value is not empty. */
  readonly dropped: readonly (readonly [key: string, reason: LabelDropReason])[];
  /** With `keepTexts`, the texts built so far, by the attribute values in key order. */
  textsByValue: TextsByValue | undefined;
  /** With `keepTexts`, the text of a shape without keys. */
  onlyText: string | undefined;
}

interface ShapeNode {
  shape: KeyShape | undefined;
  readonly next: Map<string, ShapeNode>;
}

/**
 * A series' label text (`a="x",b="y"`) straight from its attributes, the same text as
 * `renderLabelText(buildLabelPairs(attributes, context, options))` without building label pairs.
 * Everything that depends only on the attribute keys (sanitizing, sorting, merging keys into one
 * name, where the context labels go) is worked out once per sequence of keys and kept; per point
 * only the values are formatted and escaped. For one context (resource and scope) and options.
 *
 * With `keepTexts` (the sidecar), the texts built are also kept by attribute values (strings,
 * numbers, booleans), so that a series already seen costs a few lookups by values the decoder
 * hands over as the same string instances, and its text is the very string its series is keyed by
 * (found without hashing it again). Kept until the builder is dropped.
 */
export class LabelTextBuilder {
  readonly #context: ContextLabels;
  readonly #options: LabelSetOptions;
  readonly #keepTexts: boolean;
  readonly #shapes: ShapeNode = { shape: undefined, next: new Map() };
  /** The parts of the label text being built (reused: building runs to its end before the next one). */
  readonly #parts: string[] = [];

  constructor(context: ContextLabels, options: LabelSetOptions, keepTexts = false) {
    this.#context = context;
    this.#options = options;
    this.#keepTexts = keepTexts;
  }

  labelTextOf(attributes: Attributes): string {
    const keys = Object.keys(attributes);
    const shape = this.#shapeOf(keys);
    for (const [key, reason] of shape.dropped) {
      if (formatAttributeValue(attributes[key]) !== '') this.#options.onDrop?.(reason, key);
    }
    return this.#keepTexts ? this.#keptText(shape, keys, attributes) : this.#build(shape, attributes);
  }

  /** The text kept for these values, built and kept if new (built and not kept when a value is an object). */
  #keptText(shape: KeyShape, keys: readonly string[], attributes: Attributes): string {
    if (keys.length === 0) return (shape.onlyText ??= this.#build(shape, attributes));
    for (const key of keys) if (!isPlainValue(attributes[key])) return this.#build(shape, attributes);
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
    const value = attributes[keys[last]!] as PlainValue;
    let text = node.get(value) as string | undefined;
    if (text === undefined) {
      text = this.#build(shape, attributes);
      node.set(value, text);
    }
    return text;
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
      const value = mergedValue(attributes, step.keys);
      if (value !== '') parts.push(step.head, escapeLabelValue(value), '"');
      else if (step.fallback !== undefined) parts.push(step.head, step.fallback, '"');
      else parts.length = start; // an empty value is no label in Prometheus (nor a separator)
    }
    return parts.join('');
  }

  #shapeOf(keys: readonly string[]): KeyShape {
    let node = this.#shapes;
    for (const key of keys) {
      let next = node.next.get(key);
      if (next === undefined) {
        next = { shape: undefined, next: new Map() };
        node.next.set(key, next);
      }
      node = next;
    }
    node.shape ??= this.#buildShape(keys);
    return node.shape;
  }

  /** `buildLabelPairs`' rules, applied to keys instead of values. */
  #buildShape(keys: readonly string[]): KeyShape {
    const { escape, reserved } = this.#options;
    const keysByName = new Map<string, string[]>();
    const dropped: [string, LabelDropReason][] = [];
    for (const key of [...keys].sort(compareCodeUnits)) {
      const name = sanitizeLabelName(key, escape);
      if (name === undefined) dropped.push([key, 'invalid_label_name']);
      else if (name === '__name__' || name === reserved) dropped.push([key, 'reserved_label_name']);
      else {
        const merged = keysByName.get(name);
        if (merged === undefined) keysByName.set(name, [key]);
        else merged.push(key);
      }
    }
    const defaults = new Map<string, string>();
    for (const [name, value] of this.#context.defaults) if (!defaults.has(name)) defaults.set(name, value);
    const overrides = new Map(this.#context.overrides);
    const names = [...new Set([...keysByName.keys(), ...defaults.keys(), ...overrides.keys()])].sort(compareCodeUnits);

    const steps: LabelStep[] = [];
    for (const name of names) {
      const head = `${quoteLabelName(name)}="`;
      const fixed = overrides.get(name) ?? (keysByName.has(name) ? undefined : defaults.get(name));
      const last = steps.at(-1);
      if (fixed === undefined) {
        const fallback = defaults.get(name);
        steps.push({ fixed: undefined, head, keys: keysByName.get(name)!, fallback: fallback === undefined ? undefined : escapeLabelValue(fallback) });
      } else if (last?.fixed !== undefined) {
        steps[steps.length - 1] = { fixed: `${last.fixed},${head}${escapeLabelValue(fixed)}"` };
      } else {
        steps.push({ fixed: `${head}${escapeLabelValue(fixed)}"` });
      }
    }
    return { steps, dropped, textsByValue: undefined, onlyText: undefined };
  }
}

function isPlainValue(value: unknown): value is PlainValue {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** The non-empty values of `keys` joined with `;` ('' when all are empty). */
function mergedValue(attributes: Attributes, keys: readonly string[]): string {
  if (keys.length === 1) return formatAttributeValue(attributes[keys[0]!]);
  let merged = '';
  for (const key of keys) {
    const value = formatAttributeValue(attributes[key]);
    if (value !== '') merged = merged === '' ? value : `${merged};${value}`;
  }
  return merged;
}
