import { parseTextExposition } from './parseTextExposition.ts';
import type { PromClientMetric } from './promClientMetric.ts';

/**
 * A registry of `prom-client` or of its successor in the Prometheus organisation,
 * `@prometheus-io/client` (an optional peer dependency): what the bridge reads of it. Both
 * libraries' `Registry` fit, and so do their aggregating registries (below).
 */
export interface PromClientRegistry {
  getMetricsAsJSON(): Promise<readonly object[]>;
}

/**
 * Registries that serve the metrics of other processes or threads added up: `@prometheus-io/client`'s
 * `ClusterRegistry` (cluster workers; prom-client's `AggregatorRegistry`, the same API) with
 * `clusterMetrics()`, and its `WorkerRegistry` (worker threads) with `workerMetrics()`. Both give
 * text, in the registry's content type.
 */
interface AggregatingRegistry {
  clusterMetrics?: () => Promise<string>;
  workerMetrics?: () => Promise<string>;
}

/**
 * A registry's metrics in `getMetricsAsJSON()`'s shape. An aggregating registry is read through
 * its aggregated output (what it would serve itself), parsed back; lines that cannot be read are
 * reported through `onProblem`. Rejects when the registry does (a worker that does not answer).
 */
export async function readRegistry(registry: PromClientRegistry, onProblem: (problem: string) => void): Promise<PromClientMetric[]> {
  const aggregating = registry as PromClientRegistry & AggregatingRegistry;
  if (typeof aggregating.workerMetrics === 'function') return parseTextExposition(await aggregating.workerMetrics(), onProblem);
  if (typeof aggregating.clusterMetrics === 'function') return parseTextExposition(await aggregating.clusterMetrics(), onProblem);
  return (await registry.getMetricsAsJSON()) as PromClientMetric[];
}
