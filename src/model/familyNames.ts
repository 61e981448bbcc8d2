import { openMetricsFamilyName, type MetricType } from '../translate/metricType.ts';

export { openMetricsFamilyName } from '../translate/metricType.ts';

/**
 * Every name a family occupies in either text format: its own name, its sample names, and its
 * OpenMetrics family name (`foo` for the counter `foo_total`). Two families that share any of
 * these would merge or clash in a scraper, so the second one is refused.
 */
export function occupiedNames(name: string, type: MetricType): string[] {
  switch (type) {
    case 'counter': {
      const base = openMetricsFamilyName(name, type);
      return [name, base, `${base}_total`];
    }
    case 'gauge':
      return [name];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`];
  }
}
