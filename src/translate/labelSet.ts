import type { Attributes } from '../otelData/otelData.ts';
import { compareCodeUnits, type LabelPairs } from './labelPairs.ts';
import { planLabels, plannedValueOf, reportDroppedKeys, type ContextLabels, type LabelSetOptions } from './labelPlan.ts';

/**
 * Turns attributes into Prometheus labels, by the one label rule (`planLabels`): keys that
 * sanitize to the same name are merged, values joined with `;` in the order of the original keys
 * (`a.b` before `a_b`), as Prometheus does with OTLP. A key that cannot be a label name is left
 * out (`onDrop`): this is for `target_info`; a point with such a key is refused instead (see
 * `SeriesStore`).
 */
export function buildLabelPairs(attributes: Attributes, context: ContextLabels, options: LabelSetOptions): LabelPairs {
  const plan = planLabels(Object.keys(attributes), context, options);
  reportDroppedKeys(plan, attributes, options);
  const pairs: [string, string][] = [];
  for (const label of plan.labels) {
    const value = plannedValueOf(label, attributes);
    if (value !== undefined) pairs.push([label.name, value]);
  }
  return pairs;
}

/** Sorts and deduplicates label pairs given directly (context labels, prom-client series). */
export function sortLabelPairs(pairs: Iterable<readonly [string, string]>): LabelPairs {
  const labels = new Map<string, string>();
  for (const [name, value] of pairs) if (value !== '') labels.set(name, value);
  return [...labels].sort((a, b) => compareCodeUnits(a[0], b[0]));
}
