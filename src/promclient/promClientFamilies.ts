import { renderLabelText } from '../translate/labelText.ts';
import type { DropCounter } from '../model/dropCounter.ts';
import type { Family, MetricType, SeriesData } from '../model/family.ts';
import { FamilyIndex } from '../model/familyIndex.ts';
import { sortLabelPairs } from '../translate/labelSet.ts';
import type { PromClientMetric } from './promClientMetric.ts';
import { readRegistry, type PromClientRegistry } from './promClientRegistry.ts';

type LabelValues = Partial<Record<string, string | number>>;

/**
 * Reads prom-client (or `@prometheus-io/client`) registries into families, so that they share one
 * endpoint and one format with the OpenTelemetry metrics; an aggregating registry (cluster
 * workers, worker threads) through its aggregated output. A registry that fails to collect is
 * counted and skipped.
 */
export async function collectPromClientFamilies(registries: readonly PromClientRegistry[], drops: DropCounter): Promise<Family[]> {
  const index = new FamilyIndex(drops);
  const now = Date.now();
  for (const registry of registries) {
    let metrics: PromClientMetric[];
    try {
      metrics = await readRegistry(registry, (problem) => drops.drop('prom_client_collect_failed', `a prom-client registry's aggregated output: ${problem}`, 0));
    } catch (error) {
      drops.drop('prom_client_collect_failed', `a prom-client registry failed to collect: ${String(error)}`);
      continue;
    }
    for (const metric of metrics) addMetric(index, metric, now, drops);
  }
  return index.sorted();
}

function addMetric(index: FamilyIndex, metric: PromClientMetric, now: number, drops: DropCounter): void {
  const type = toMetricType(metric.type);
  const family = index.familyFor(metric.name, type, metric.help, '', `prom-client metric ${metric.name}`);
  if (family === undefined) return;
  const grouped = type === 'histogram' || type === 'summary' ? groupComposite(metric, type) : groupSimple(metric);
  for (const [labels, data] of grouped) {
    const pairs = sortLabelPairs(Object.entries(labels).map(([name, value]) => [name, String(value)] as const));
    const labelText = renderLabelText(pairs);
    if (family.series.has(labelText)) {
      drops.drop('duplicate_series', `${family.name}{${labelText}} appears twice`);
      continue;
    }
    family.series.set(labelText, { labels: pairs, labelText, data, timeMs: now, startTimeMs: undefined });
  }
}

/** prom-client's metric type as the model's (its `untyped` and any other as gauge). */
export function toMetricType(type: string): MetricType {
  return type === 'counter' || type === 'histogram' || type === 'summary' ? type : 'gauge';
}

function groupSimple(metric: PromClientMetric): [LabelValues, SeriesData][] {
  return metric.values.map((v) => [v.labels ?? {}, { kind: 'number', value: v.value }]);
}

interface Composite {
  labels: LabelValues;
  buckets: [number, number][];
  quantiles: { quantile: number; value: number }[];
  sum: number;
  count: number;
}

/** prom-client lists a histogram's `_bucket`, `_sum` and `_count` samples flat; regroup them by series. */
function groupComposite(metric: PromClientMetric, type: 'histogram' | 'summary'): [LabelValues, SeriesData][] {
  const byKey = new Map<string, Composite>();
  const marker = type === 'histogram' ? 'le' : 'quantile';
  for (const v of metric.values) {
    const { [marker]: position, ...labels } = v.labels ?? {};
    const key = JSON.stringify(Object.entries(labels).sort());
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { labels, buckets: [], quantiles: [], sum: 0, count: 0 };
      byKey.set(key, entry);
    }
    const sampleName = v.metricName ?? metric.name;
    if (sampleName.endsWith('_sum')) entry.sum = v.value;
    else if (sampleName.endsWith('_count')) entry.count = v.value;
    else if (type === 'histogram' && position !== undefined) entry.buckets.push([position === '+Inf' ? Infinity : Number(position), v.value]);
    else if (type === 'summary' && position !== undefined) entry.quantiles.push({ quantile: Number(position), value: v.value });
  }
  return [...byKey.values()].map((entry): [LabelValues, SeriesData] => {
    if (type === 'summary') return [entry.labels, { kind: 'summary', quantiles: entry.quantiles, sum: entry.sum, count: entry.count }];
    const finite = entry.buckets.filter(([bound]) => bound !== Infinity).sort((a, b) => a[0] - b[0]);
    const bounds = finite.map(([bound]) => bound);
    // prom-client's buckets are cumulative; the model keeps per-bucket counts.
    const counts: number[] = [];
    let previous = 0;
    for (const [, cumulative] of finite) {
      counts.push(cumulative - previous);
      previous = cumulative;
    }
    counts.push(entry.count - previous);
    return [entry.labels, { kind: 'histogram', bounds, counts, count: entry.count, sum: entry.sum }];
  });
}
