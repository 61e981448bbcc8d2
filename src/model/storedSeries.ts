import type { Series } from './family.ts';
import type { Temporality } from './otelData.ts';

/** What the series store keeps per series besides what the exposition reads. */
export interface StoredSeries extends Series {
  /** How its points arrive: gauges and summaries count as cumulative (each point is the whole value). */
  temporality: Temporality;
  /** The store's clock when a point was last accepted for it (not the point's own time): drives expiry. */
  updatedAtMs: number;
  /** On `target_info` series only: the resource identity (job/instance) it describes; undefined otherwise. */
  readonly targetInfoKey: string | undefined;
}
