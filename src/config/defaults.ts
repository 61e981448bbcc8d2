/**
 * Every setting's default, in one place: the sidecar's schema, the Sidecar's options, the in-process
 * exporters' options and the listeners read them here. A few are owned by the lower layer that
 * applies them on its own (the store, the translation rules, the exposition writers) and are
 * re-exported at the end, so that this file still lists them all.
 */

/**
 * The sidecar listens on every interface by default: services in other containers, pods or hosts
 * push OTLP to it and Prometheus scrapes it from elsewhere, so loopback would reach no one.
 * (The in-process exporter defaults to `localhost` instead, as the official one does.)
 */
export const DEFAULT_SIDECAR_HOST = '0.0.0.0';
/** OTLP/HTTP's registered port. */
export const DEFAULT_OTLP_HTTP_PORT = 4318;
/** OTLP/gRPC's registered port. */
export const DEFAULT_OTLP_GRPC_PORT = 4317;
/** The port `@opentelemetry/exporter-prometheus` uses; the sidecar's metrics listener and the in-process exporter's server. */
export const DEFAULT_METRICS_PORT = 9464;
/** The scrape path, of the sidecar and of the in-process exporter. */
export const DEFAULT_METRICS_PATH = '/metrics';
/** How long `shutdown()` keeps the metrics path answering after it stops taking OTLP exports. */
export const DEFAULT_DRAIN_PERIOD_MS = 5_000;

/** With a state directory: how often the series are written to it, in ms. */
export const DEFAULT_STATE_SNAPSHOT_INTERVAL_MS = 30_000;

/** OTLP/HTTP's default path for metrics. */
export const DEFAULT_OTLP_HTTP_PATH = '/v1/metrics';

/** Default limit on a request, in bytes, before and after inflating: 16 MiB (gRPC's own default is 4 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Default bound on OTLP/HTTP export requests in flight at once; the next one is refused with 503. */
export const DEFAULT_MAX_IN_FLIGHT_REQUESTS = 64;

/** Default bound on the event loop's mean delay over the last second, in ms; above it new exports are refused. */
export const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 1000;

/**
 * Default time an OTLP/HTTP request has for its headers and its whole body to arrive; a slower one
 * (a slowloris, a stalled upload) gets 408 and its connection is closed, freeing its place among
 * the requests in flight.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The in-process exporter's server host, as the official exporter's (`OTEL_EXPORTER_PROMETHEUS_HOST` overrides it). */
export const DEFAULT_EXPORTER_HOST = 'localhost';

/** How often `PeriodicPrometheusReader` collects from the SDK, in ms. */
export const DEFAULT_COLLECT_INTERVAL_MILLIS = 15_000;

/**
 * Translation switches that are on unless turned off, on both surfaces: the `otel_scope_*` labels,
 * `target_info`, and Prometheus' two label-name rules (`label_name_preserve_multiple_underscores`,
 * `label_name_underscore_sanitization`).
 */
export const DEFAULT_SCOPE_LABELS = true;
export const DEFAULT_TARGET_INFO = true;
export const DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES = true;
export const DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION = true;

/** No prefix on metric names (the sidecar's `namespace`, the exporter's `prefix`). */
export const DEFAULT_NAMESPACE = '';

/**
 * No `_created` lines in OpenMetrics unless asked: Prometheus 2 stores each as a series of its own
 * (Prometheus 3 reads them as start times only with `created-timestamp-zero-ingestion`).
 */
export const DEFAULT_OPENMETRICS_CREATED_LINES = false;

/** The sidecar serves its own metrics (`otel_prom_bridge_*`, process and Node.js) beside the pushed ones. */
export const DEFAULT_SELF_METRICS = true;

// Owned below: the store expires series and bounds them by itself, the translation rules and the
// exposition writers fall back on their own defaults when used directly.
export { DEFAULT_METRIC_EXPIRATION_MS, DEFAULT_SIDECAR_MAX_SERIES } from '../model/storeOptions.ts';
export { DEFAULT_TRANSLATION_STRATEGY } from '../translate/translationStrategy.ts';
export { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../translate/exponentialBuckets.ts';
