import { renderLabelText } from '../exposition/escape.ts';
import { buildLabelPairs, type ContextLabels, type LabelDropReason, type LabelPairs, type LabelSetOptions } from '../translate/labelSet.ts';
import type { Attributes } from './otelData.ts';

/** A series' labels built from its attributes, and what building them dropped (replayed on every use). */
export interface BuiltLabels {
  readonly labels: LabelPairs;
  readonly labelText: string;
  readonly drops: readonly (readonly [LabelDropReason, string])[] | undefined;
}

/** Builds (or finds) the labels of one attributes object under fixed context labels and label options. */
export type LabelsOf = (attributes: Attributes) => BuiltLabels;

/**
 * Labels built once per series instead of once per collection. The SDK keeps the attributes object
 * it was given for a series and hands that same object back on every collection, so the labels are
 * cached by object identity (a WeakMap: a series the SDK forgets takes its entry with it), per
 * context labels (resource and scope) and label options (which label is reserved). Building is a
 * pure function of those three, so a cached entry is what building again would give; the drops it
 * counted (invalid or reserved label names) are counted again on every use, as building would.
 *
 * Contexts not used during a collection are forgotten at the start of the next but one.
 */
export class LabelCache {
  #current = new Map<string, Map<LabelSetOptions, LabelsOf>>();
  #previous = new Map<string, Map<LabelSetOptions, LabelsOf>>();

  /** Starts a collection: contexts the last one did not use are let go. */
  startCollection(): void {
    this.#previous = this.#current;
    this.#current = new Map();
  }

  /** The label builder for one context and options, its cache kept across collections. */
  labelsOf(context: ContextLabels, options: LabelSetOptions): LabelsOf {
    const key = JSON.stringify([context.defaults, context.overrides]);
    let byOptions = this.#current.get(key);
    if (byOptions === undefined) {
      byOptions = this.#previous.get(key) ?? new Map();
      this.#current.set(key, byOptions);
    }
    let labelsOf = byOptions.get(options);
    if (labelsOf === undefined) {
      labelsOf = cachedLabelsOf(context, options);
      byOptions.set(options, labelsOf);
    }
    return labelsOf;
  }
}

function cachedLabelsOf(context: ContextLabels, options: LabelSetOptions): LabelsOf {
  const cache = new WeakMap<Attributes, BuiltLabels>();
  let drops: [LabelDropReason, string][] | undefined;
  const recording: LabelSetOptions = { ...options, onDrop: (reason, key) => (drops ??= []).push([reason, key]) };
  return (attributes) => {
    let built = cache.get(attributes);
    if (built === undefined) {
      drops = undefined;
      const labels = buildLabelPairs(attributes, context, recording);
      built = { labels, labelText: renderLabelText(labels), drops };
      cache.set(attributes, built);
    }
    if (built.drops !== undefined) for (const [reason, key] of built.drops) options.onDrop?.(reason, key);
    return built;
  };
}
