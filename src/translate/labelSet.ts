import type { Attributes } from '../otelData/otelData.ts';
import { formatAttributeValue } from './attributeValue.ts';
import { sanitizeLabelName, type LabelNaming } from './labelName.ts';

/** Label pairs sorted by name, each name once, no empty values. */
export type LabelPairs = readonly (readonly [name: string, value: string])[];

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

/**
 * Turns attributes into Prometheus labels. Keys that sanitize to the same name are merged, values
 * joined with `;` in the order of the original keys (`a.b` before `a_b`), as Prometheus does with
 * OTLP. A key that cannot be a label name is left out (`onDrop`): this is for `target_info`; a
 * point with such a key is refused instead (see `SeriesStore`).
 */
export function buildLabelPairs(attributes: Attributes, context: ContextLabels, options: LabelSetOptions): LabelPairs {
  const labels = new Map<string, string>();
  const keys = Object.keys(attributes);
  if (keys.length > 1) keys.sort(compareCodeUnits);
  for (const key of keys) {
    const value = formatAttributeValue(attributes[key]);
    if (value === '') continue; // an empty value is no label in Prometheus
    const name = sanitizeLabelName(key, options);
    if (name === undefined) {
      options.onDrop?.('invalid_label_name', key);
      continue;
    }
    if (name === '__name__' || name === options.reserved) {
      options.onDrop?.('reserved_label_name', key);
      continue;
    }
    const existing = labels.get(name);
    labels.set(name, existing === undefined ? value : `${existing};${value}`);
  }
  for (const [name, value] of context.defaults) if (!labels.has(name)) labels.set(name, value);
  for (const [name, value] of context.overrides) labels.set(name, value);
  return [...labels].sort(compareByName);
}

/** Sorts and deduplicates label pairs given directly (context labels, prom-client series). */
export function sortLabelPairs(pairs: Iterable<readonly [string, string]>): LabelPairs {
  const labels = new Map<string, string>();
  for (const [name, value] of pairs) if (value !== '') labels.set(name, value);
  return [...labels].sort(compareByName);
}

function compareByName(a: readonly [string, string], b: readonly [string, string]): number {
  return compareCodeUnits(a[0], b[0]);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
