/** OTLP/HTTP's default path for metrics. */
export const DEFAULT_OTLP_HTTP_PATH = '/v1/metrics';

/** Default limit on a request, in bytes, before and after inflating: 16 MiB (gRPC's own default is 4 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
