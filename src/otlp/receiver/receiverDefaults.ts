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
