/** Why the bridge left something out of its output. */
export type DropReason =
  | 'invalid_metric_name'
  /** A point with an attribute key that cannot be a label name (refused), or such a resource attribute left out of `target_info`. */
  | 'invalid_label_name'
  | 'reserved_label_name'
  | 'type_conflict'
  | 'name_conflict'
  | 'duplicate_series'
  /** A point older than the series' last one, or a delta window too old to tell whether it was added already. */
  | 'out_of_order'
  /** A cumulative point that started accumulating before its series did: another writer of the same series. */
  | 'multiple_writers'
  /** A cumulative counter (or histogram or summary count) lower than the last with the same start time. */
  | 'non_monotonic'
  /** A metric whose name is one of the bridge's own (`otel_prom_bridge_*`, the sidecar's process metrics). */
  | 'reserved_name'
  /** A point that would have created a series beyond the store's `maxSeries`. */
  | 'cardinality_limit'
  /** A point whose values cannot be right (a NaN counter, negative or mismatched bucket counts...). */
  | 'invalid_point'
  | 'prom_client_collect_failed'
  /** OTLP decoding: a metric with no data of a known type (one per metric). */
  | 'metric_without_data'
  /** OTLP decoding: a sum or histogram whose temporality is neither delta nor cumulative (its points, or one per metric without any). */
  | 'invalid_temporality'
  /** OTLP decoding: a histogram point whose bucket counts do not match its bounds. */
  | 'invalid_histogram_buckets'
  /** OTLP decoding: a profiling-only field (`key_strindex`, `string_value_strindex`) read as absent (one per field; nothing else is lost). */
  | 'profiling_field_ignored';

export interface Logger {
  warn(message: string): void;
  debug(message: string): void;
  /** What happened at start or stop worth a line (state restored). @default nothing */
  info?(message: string): void;
}

/** Distinct problems remembered as logged, and their characters in all: a flood of distinct ones logs again later. */
const MAX_LOGGED_PROBLEMS = 1000;
const MAX_LOGGED_CHARS = 1_000_000;

/**
 * Counts what was dropped, by reason, and logs each distinct problem once (not on every scrape).
 */
export class DropCounter {
  readonly #counts = new Map<DropReason, number>();
  readonly #logged = new Set<string>();
  #loggedChars = 0;
  readonly #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger;
  }

  /** Counts `count` things dropped for `reason` (0: log only, e.g. a conflicting metric without points). */
  drop(reason: DropReason, detail: string, count = 1): void {
    if (count > 0) this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + count);
    const key = `${reason}\u0000${detail}`;
    if (this.#logged.has(key)) return;
    if (this.#logged.size >= MAX_LOGGED_PROBLEMS || this.#loggedChars >= MAX_LOGGED_CHARS) {
      this.#logged.clear();
      this.#loggedChars = 0;
    }
    this.#logged.add(key);
    this.#loggedChars += key.length;
    this.#logger?.warn(`otel-prom-bridge dropped ${reason.replaceAll('_', ' ')}: ${detail}`);
  }

  /** Counts so far, by reason. */
  counts(): ReadonlyMap<DropReason, number> {
    return this.#counts;
  }
}
