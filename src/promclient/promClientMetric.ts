/** A sample as the client libraries' `getMetricsAsJSON()` lists it. */
export interface PromClientValue {
  value: number;
  /** Absent on some samples (`@prometheus-io/client` leaves it out of a summary's `_sum` and `_count`). */
  labels?: Partial<Record<string, string | number>>;
  /** The sample's own name when it is not the metric's (`_bucket`, `_sum`, `_count`). */
  metricName?: string;
}

/** A metric as `getMetricsAsJSON()` gives it, in prom-client and `@prometheus-io/client` alike. */
export interface PromClientMetric {
  name: string;
  help: string;
  type: string;
  values: PromClientValue[];
}
