import type { ResourceMetrics } from '../otelData/otelData.ts';
import { hasDefaultBucketsInSeconds, SECONDS_BOUNDARIES } from '../translate/defaultBucketsInSeconds.ts';
import type { Logger } from './dropCounter.ts';

/** The most metrics listed as flagged (their names come from clients); more are logged once as a count. */
export const MAX_FLAGGED_HISTOGRAMS = 1000;

/** One histogram flagged: its OpenTelemetry name and when it was first seen so. */
export interface FlaggedHistogram {
  /** The OpenTelemetry metric name (the instrument to fix), not the Prometheus one. */
  readonly metric: string;
  readonly reason: 'default_buckets_in_seconds';
  /** When it was flagged, in ms since the epoch. */
  readonly firstSeenMs: number;
  /** What to do, in a sentence. */
  readonly fix: string;
}

/**
 * The histogram-bucket linter: finds histograms recorded in seconds with the SDK's default bucket
 * boundaries, which are meant for milliseconds (`hasDefaultBucketsInSeconds`), and warns once per
 * metric name with the fix; the flagged metrics are listed for the bridge's own metrics and the
 * status page. It only reads the data: the points are stored as they are.
 */
export class HistogramBucketWarnings {
  readonly #logger: Logger | undefined;
  readonly #clock: () => number;
  readonly #flagged = new Map<string, FlaggedHistogram>();
  #overflowLogged = false;

  constructor(logger: Logger | undefined, clock: () => number = Date.now) {
    this.#logger = logger;
    this.#clock = clock;
  }

  /** Looks at every explicit-bucket histogram of one resource's metrics. */
  inspect(resourceMetrics: ResourceMetrics): void {
    for (const { metrics } of resourceMetrics.scopeMetrics) {
      for (const metric of metrics) {
        // Cheap checks first: this runs on every apply.
        if (metric.kind !== 'histogram' || metric.unit !== 's' || this.#flagged.has(metric.name)) continue;
        if (metric.points.some((point) => hasDefaultBucketsInSeconds(metric, point))) this.#flag(metric.name);
      }
    }
  }

  /** The metrics flagged so far, sorted by name. */
  flagged(): FlaggedHistogram[] {
    return [...this.#flagged.values()].sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  }

  #flag(name: string): void {
    if (this.#flagged.size >= MAX_FLAGGED_HISTOGRAMS) {
      if (!this.#overflowLogged) {
        this.#overflowLogged = true;
        this.#logger?.warn(`otel-prom-bridge: more than ${MAX_FLAGGED_HISTOGRAMS} histograms have the default bucket boundaries in seconds; the others are not listed (${JSON.stringify(name)} is one)`);
      }
      return;
    }
    const fix = fixFor(name);
    this.#flagged.set(name, { metric: name, reason: 'default_buckets_in_seconds', firstSeenMs: this.#clock(), fix });
    this.#logger?.warn(
      `otel-prom-bridge: histogram ${JSON.stringify(name)} is in seconds (unit s) but has the SDK's default bucket boundaries [0, 5, 10, …, 10000], meant for milliseconds: nearly all its observations fall at or below 5 s, so every quantile is pinned between 0 and 5 s. ${fix}`,
    );
  }
}

/** The fix for one metric: advice on the instrument, or a View in the app that creates it. */
function fixFor(name: string): string {
  const bounds = `[${SECONDS_BOUNDARIES.join(', ')}]`;
  return (
    `Create the instrument with advice: { explicitBucketBoundaries: ${bounds} }, ` +
    `or add a View { instrumentName: ${JSON.stringify(name)}, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: ${bounds} } } } to its MeterProvider.`
  );
}
