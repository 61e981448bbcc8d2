import type { ContextLabels, LabelDropReason, LabelSetOptions } from './labelPlan.ts';
import type { LabelLayout } from './labelLayout.ts';
import { LabelTextBuilder, type KeepsText, type KeptCount } from './labelTextBuilder.ts';
import type { Attributes } from '../otelData/otelData.ts';

/** Gives a series' label text for its attributes, under fixed context labels and label options. */
export interface LabelTexts {
  /** `keepsText`: asked about a text not kept yet, whether it is worth keeping (its series exists or may be created). */
  labelTextOf(attributes: Attributes, keepsText: KeepsText): string;
  /** How the texts of these attributes' keys are laid out (asked when a series is made). */
  layoutOf(attributes: Attributes): LabelLayout;
}

/** Contexts (resource and scope) `LabelBuilders` keeps builders for, in each of its two generations. */
const MAX_CONTEXTS = 4096;

/** Texts and key shapes a generation may keep however few series are held (a small store does not start generations all the time). */
const MIN_KEPT_PER_GENERATION = 1024;

/**
 * Label builders per context labels and label options, kept across applies: a builder keeps what
 * it worked out per sequence of attribute keys, and the label texts it built by attribute values.
 * For the sidecar, whose resources and series come and go, what is kept is bounded whether or not
 * the expiry sweep runs: builders are kept in two generations, and a new generation starts when
 * the current one holds `MAX_CONTEXTS` contexts, or has kept twice as many texts and key shapes
 * as there are series (at least `MIN_KEPT_PER_GENERATION`). A builder of the new generation takes
 * over from its predecessor only the texts and shapes asked for again; the previous generation
 * goes when the next one starts. A store at its series limit thus keeps at most about four texts
 * per series it may hold (texts of series removed since, and their replacements). `clear()` (at
 * each expiry sweep) lets go of everything, texts of series that may have expired with it;
 * rebuilding costs little.
 */
export class LabelBuilders {
  readonly #seriesHeld: () => number;
  #current = new Map<string, Map<LabelSetOptions, LabelTextBuilder>>();
  #previous = new Map<string, Map<LabelSetOptions, LabelTextBuilder>>();
  #kept: KeptCount = { entries: 0 };

  /** `seriesHeld`: the series the store holds now, which bounds the texts a generation keeps. */
  constructor(seriesHeld: () => number) {
    this.#seriesHeld = seriesHeld;
  }

  clear(): void {
    this.#current = new Map();
    this.#previous = new Map();
    this.#kept = { entries: 0 };
  }

  builderFor(context: ContextLabels, options: LabelSetOptions): LabelTextBuilder {
    if (this.#kept.entries >= 2 * Math.max(MIN_KEPT_PER_GENERATION, this.#seriesHeld())) this.#startGeneration();
    const key = contextKey(context);
    let byOptions = this.#current.get(key);
    if (byOptions === undefined) {
      if (this.#current.size >= MAX_CONTEXTS) this.#startGeneration();
      byOptions = new Map<LabelSetOptions, LabelTextBuilder>();
      this.#current.set(key, byOptions);
    }
    let builder = byOptions.get(options);
    if (builder === undefined) {
      builder = new LabelTextBuilder(context, options, { kept: this.#kept, older: this.#previous.get(key)?.get(options) });
      byOptions.set(options, builder);
    }
    return builder;
  }

  /** The current generation becomes the previous one (without its own predecessors); the previous one goes. */
  #startGeneration(): void {
    for (const byOptions of this.#current.values()) for (const builder of byOptions.values()) builder.forgetOlder();
    this.#previous = this.#current;
    this.#current = new Map();
    this.#kept = { entries: 0 };
  }
}

/** The context labels as one string (JSON: label values may hold any character). */
function contextKey(context: ContextLabels): string {
  return JSON.stringify([context.defaults, context.overrides]);
}

/**
 * Label text built once per series instead of once per collection, for the in-process readers.
 * The SDK keeps the attributes object it was given for a series and hands that same object back on
 * every collection, so the text is cached by object identity (a WeakMap: a series the SDK forgets
 * takes its entry with it), per context labels (resource and scope) and label options (which label
 * is reserved). Building is a pure function of those three, so a cached entry is what building
 * again would give; the drops it counted (invalid or reserved label names) are counted again on
 * every use, as building would.
 *
 * Contexts not used during a collection are forgotten at the start of the next but one.
 */
export class LabelCache {
  #current = new Map<string, Map<LabelSetOptions, LabelTexts>>();
  #previous = new Map<string, Map<LabelSetOptions, LabelTexts>>();

  /** Starts a collection: contexts the last one did not use are let go. */
  startCollection(): void {
    this.#previous = this.#current;
    this.#current = new Map();
  }

  /** The label texts for one context and options, their cache kept across collections. */
  labelsOf(context: ContextLabels, options: LabelSetOptions): LabelTexts {
    const key = contextKey(context);
    let byOptions = this.#current.get(key);
    if (byOptions === undefined) {
      byOptions = this.#previous.get(key) ?? new Map();
      this.#current.set(key, byOptions);
    }
    let labels = byOptions.get(options);
    if (labels === undefined) {
      labels = new IdentityCachedLabels(context, options);
      byOptions.set(options, labels);
    }
    return labels;
  }
}

/** A label text and what building it dropped (replayed on every use). */
interface BuiltLabelText {
  readonly labelText: string;
  readonly drops: readonly (readonly [LabelDropReason, string])[] | undefined;
}

class IdentityCachedLabels implements LabelTexts {
  readonly #cache = new WeakMap<Attributes, BuiltLabelText>();
  readonly #builder: LabelTextBuilder;
  readonly #onDrop: LabelSetOptions['onDrop'];
  #drops: [LabelDropReason, string][] | undefined;

  constructor(context: ContextLabels, options: LabelSetOptions) {
    this.#onDrop = options.onDrop;
    this.#builder = new LabelTextBuilder(context, { ...options, onDrop: (reason, key) => (this.#drops ??= []).push([reason, key]) });
  }

  labelTextOf(attributes: Attributes, keepsText: KeepsText): string {
    let built = this.#cache.get(attributes);
    if (built === undefined) {
      this.#drops = undefined;
      const labelText = this.#builder.labelTextOf(attributes); // records its drops in #drops
      built = { labelText, drops: this.#recordedDrops() };
      if (keepsText(labelText)) this.#cache.set(attributes, built);
    }
    if (built.drops !== undefined) for (const [reason, key] of built.drops) this.#onDrop?.(reason, key);
    return built.labelText;
  }

  layoutOf(attributes: Attributes): LabelLayout {
    return this.#builder.layoutOf(attributes);
  }

  #recordedDrops(): BuiltLabelText['drops'] {
    return this.#drops;
  }
}
