import type { Attributes } from '../otelData/otelData.ts';
import { formatAttributeValue } from './attributeValue.ts';
import { sanitizeLabelName, type LabelNaming } from './labelName.ts';
import { compareCodeUnits, type LabelPairs } from './labelPairs.ts';
import { escapeLabelValue, quoteLabelName } from './labelText.ts';

/** Labels every series of one resource and scope carries besides its own attributes. */
export interface ContextLabels {
  /** Set only where the point's attributes did not set the label (promoted resource attributes). */
  readonly defaults: LabelPairs;
  /** Always set, replacing a point attribute of that name (scope labels, `job`, `instance`). */
  readonly overrides: LabelPairs;
}

export const NO_CONTEXT_LABELS: ContextLabels = { defaults: [], overrides: [] };

export type LabelDropReason = 'invalid_label_name' | 'reserved_label_name';

export interface LabelSetOptions extends LabelNaming {
  /** Label names the exposition writes itself (`le` for histograms, `quantile` for summaries). */
  readonly reserved?: string;
  readonly onDrop?: (reason: LabelDropReason, key: string) => void;
}

/** One label a sequence of attribute keys can give, in label-name order. */
export interface PlannedLabel {
  readonly name: string;
  /** `name="`, as the text formats write it. */
  readonly head: string;
  /** The attribute keys whose values it takes, merged with `;` in this order; none for a context label. */
  readonly keys: readonly string[];
  /** A context label's value, written whatever the attributes say (an override, or a default no key names). */
  readonly fixed: string | undefined;
  /** The default's value, used when the keys' values are all empty. */
  readonly fallback: string | undefined;
}

/**
 * The label rule, applied to attribute keys instead of values: which label each key gives
 * (sanitized, merged with others of the same name, or dropped), and where the context labels go.
 * `buildLabelPairs` and `LabelTextBuilder` both follow it, so that the pairs and the text cannot
 * drift apart; the text builder works it out once per sequence of keys.
 */
export interface LabelPlan {
  /** Sorted by name, each name once. A label whose keys' values are all empty (and no fallback) is left out. */
  readonly labels: readonly PlannedLabel[];
  /** Keys that give no label (invalid or reserved names): counted whenever their value is not empty. */
  readonly dropped: readonly (readonly [key: string, reason: LabelDropReason])[];
}

/**
 * Keys that sanitize to the same name are merged, values joined with `;` in the order of the
 * original keys (`a.b` before `a_b`), as Prometheus does with OTLP. A key that cannot be a label
 * name, or whose name is reserved (`__name__`, `le`, `quantile`), is dropped. A default applies
 * where the attributes give that label no value; an override always wins.
 */
export function planLabels(keys: readonly string[], context: ContextLabels, options: LabelSetOptions): LabelPlan {
  const keysByName = new Map<string, string[]>();
  const dropped: [string, LabelDropReason][] = [];
  for (const key of [...keys].sort(compareCodeUnits)) {
    const name = sanitizeLabelName(key, options);
    if (name === undefined) dropped.push([key, 'invalid_label_name']);
    else if (name === '__name__' || name === options.reserved) dropped.push([key, 'reserved_label_name']);
    else {
      const merged = keysByName.get(name);
      if (merged === undefined) keysByName.set(name, [key]);
      else merged.push(key);
    }
  }
  const defaults = new Map<string, string>();
  for (const [name, value] of context.defaults) if (!defaults.has(name)) defaults.set(name, value);
  const overrides = new Map(context.overrides);
  const names = [...new Set([...keysByName.keys(), ...defaults.keys(), ...overrides.keys()])].sort(compareCodeUnits);
  const labels = names.map((name): PlannedLabel => {
    const attributeKeys = keysByName.get(name);
    const fixed = overrides.get(name) ?? (attributeKeys === undefined ? defaults.get(name) : undefined);
    return {
      name,
      head: `${quoteLabelName(name)}="`,
      keys: fixed === undefined ? attributeKeys! : NO_KEYS,
      fixed,
      fallback: fixed === undefined ? defaults.get(name) : undefined,
    };
  });
  return { labels, dropped };
}

const NO_KEYS: readonly string[] = [];

/** Counts the plan's dropped keys whose value is not empty (an empty value is no label anyway). */
export function reportDroppedKeys(plan: LabelPlan, attributes: Attributes, options: LabelSetOptions): void {
  for (const [key, reason] of plan.dropped) {
    if (formatAttributeValue(attributes[key]) !== '') options.onDrop?.(reason, key);
  }
}

/**
 * A planned label's value for these attributes: a fixed one, else the keys' non-empty values
 * joined with `;`, else the fallback; undefined when there is none (no label in Prometheus).
 */
export function plannedValueOf(label: PlannedLabel, attributes: Attributes): string | undefined {
  if (label.fixed !== undefined) return label.fixed;
  const value = mergedValueOf(attributes, label.keys);
  return value !== '' ? value : label.fallback;
}

/** The non-empty values of `keys` joined with `;` ('' when all are empty). */
export function mergedValueOf(attributes: Attributes, keys: readonly string[]): string {
  if (keys.length === 1) return formatAttributeValue(attributes[keys[0]!]);
  let merged = '';
  for (const key of keys) {
    const value = formatAttributeValue(attributes[key]);
    if (value !== '') merged = merged === '' ? value : `${merged};${value}`;
  }
  return merged;
}

/** A planned label's text for a fixed value: `name="value"`. */
export function renderFixedLabel(label: PlannedLabel): string {
  return `${label.head}${escapeLabelValue(label.fixed!)}"`;
}
