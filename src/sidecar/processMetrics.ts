import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DropCounter } from '../model/dropCounter.ts';
import type { Family, MetricType } from '../model/family.ts';
import { collectPromClientFamilies, toMetricType } from '../promclient/promClientFamilies.ts';

/**
 * prom-client default metrics left out: gauges named `_total`, against Prometheus conventions
 * (`promtool check metrics` refuses them). `sum(nodejs_active_handles)` and the like give the same.
 */
export const PROCESS_METRICS_LEFT_OUT: ReadonlySet<string> = new Set(['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']);

/** The sidecar's own process: prom-client's `process_*` and `nodejs_*` families, less those left out. */
export class ProcessMetrics {
  readonly #registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.#registry });
  }

  /** Every name and type it serves, for the store to refuse as pushed metrics. */
  families(): { name: string; type: MetricType }[] {
    return listProcessFamilies(this.#registry);
  }

  /** Its families as they are now. */
  async collect(drops: DropCounter): Promise<Family[]> {
    const families = await collectPromClientFamilies([this.#registry], drops);
    return families.filter((family) => !PROCESS_METRICS_LEFT_OUT.has(family.name));
  }
}

/** The families prom-client's default metrics give (names and types), the ones the sidecar serves. */
function listProcessFamilies(registry: Registry): { name: string; type: MetricType }[] {
  return registry
    .getMetricsAsArray()
    .filter((metric) => !PROCESS_METRICS_LEFT_OUT.has(metric.name))
    .map((metric) => ({ name: metric.name, type: toMetricType(String(metric.type)) }));
}
