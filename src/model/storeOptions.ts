import { BRIDGE_METRICS_PREFIX, ReservedNames } from './reservedNames.ts';

/** How the series store keeps time and bounds itself; every field has a documented default. */
export interface SeriesStoreOptions {
  /** Where the store's time comes from (receive times, expiry). @default Date.now */
  readonly clock?: () => number;
  /** A series no point has updated for this long is removed by `sweep`. @default 300_000 (5 minutes) */
  readonly metricExpirationMs?: number;
  /**
   * The most metric series the store holds (`target_info` not counted); a point that would create
   * one more is refused (`cardinality_limit`) while existing series go on updating.
   * @default Infinity (the in-process exporters); the sidecar passes `DEFAULT_SIDECAR_MAX_SERIES`
   */
  readonly maxSeries?: number;
  /**
   * Names no family of the store may take (`reserved_name`): those of the metrics served beside it.
   * @default every name starting with `otel_prom_bridge_`
   */
  readonly reservedNames?: ReservedNames;
  /**
   * Whether the points are pushed by clients (the sidecar), where several writers may push one
   * series (replicas sharing an identity) and an export may come twice (a retry). Then a delta
   * window added already with the same values is left out (a retry), a cumulative point that
   * started before its series did is refused (`multiple_writers`), and so is a lower count with the
   * same start time (`non_monotonic`). Without (in-process, where the SDK is the only writer and
   * never retries), every delta is added and a lower count is a reset (an observable counter whose
   * source restarted).
   * @default true
   */
  readonly pushed?: boolean;
}

export interface ResolvedStoreOptions {
  readonly clock: () => number;
  readonly metricExpirationMs: number;
  readonly maxSeries: number;
  readonly reservedNames: ReservedNames;
  readonly pushed: boolean;
}

export const DEFAULT_METRIC_EXPIRATION_MS = 5 * 60_000;
export const DEFAULT_SIDECAR_MAX_SERIES = 200_000;

/** Defaults filled in; a wrong value throws at once, naming the option, the value and what is allowed. */
export function resolveStoreOptions(options: SeriesStoreOptions = {}): ResolvedStoreOptions {
  const metricExpirationMs = options.metricExpirationMs ?? DEFAULT_METRIC_EXPIRATION_MS;
  if (!(metricExpirationMs > 0) || !Number.isFinite(metricExpirationMs)) {
    throw new RangeError(`SeriesStore option metricExpirationMs must be a positive number of milliseconds; got ${String(metricExpirationMs)}.`);
  }
  const maxSeries = options.maxSeries ?? Infinity;
  if (!(maxSeries === Infinity || (Number.isInteger(maxSeries) && maxSeries >= 0))) {
    throw new RangeError(`SeriesStore option maxSeries must be a whole number of series (0 or more), or Infinity for no limit; got ${String(maxSeries)}.`);
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw new TypeError(`SeriesStore option clock must be a function returning milliseconds; got ${typeof clock}.`);
  const reservedNames = options.reservedNames ?? new ReservedNames([BRIDGE_METRICS_PREFIX]);
  return { clock, metricExpirationMs, maxSeries, reservedNames, pushed: options.pushed ?? true };
}
