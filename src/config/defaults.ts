/** The sidecar's defaults, in one place: the schema, the settings resolver and the listeners read them here. */

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
/** The port `@opentelemetry/exporter-prometheus` uses. */
export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_METRICS_PATH = '/metrics';
/** How long `shutdown()` keeps the metrics path answering after it stops taking OTLP exports. */
export const DEFAULT_DRAIN_PERIOD_MS = 5_000;

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
