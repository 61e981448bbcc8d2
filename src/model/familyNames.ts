import type { MetricType } from './family.ts';

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

/** OpenMetrics names a counter family without its `_total`, which only its samples carry. */
export function openMetricsFamilyName(name: string, type: MetricType): string {
  return type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}
