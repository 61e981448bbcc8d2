/**
 * One remote-write endpoint, resolved: every field of Prometheus' own `remote_write` entry that
 * the bridge takes, defaults filled in, secrets read from their files already. The config layer
 * builds these from YAML and flags; the output only reads them.
 */

/** Which message the endpoint is sent: remote write 1.0 or 2.0. */
export type RemoteWriteMessage = 'prometheus.WriteRequest' | 'io.prometheus.write.v2.Request';

export const REMOTE_WRITE_MESSAGES: readonly [RemoteWriteMessage, RemoteWriteMessage] = ['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'];

/** Prometheus' `queue_config`, the settings that apply to a sidecar's queue. */
export interface RemoteWriteQueueConfig {
  /** Samples each shard buffers; when full the oldest are dropped (counted, reason `queue_full`). */
  readonly capacity: number;
  /** Most requests in flight at once. */
  readonly maxShards: number;
  /** Requests in flight at once at start (and at least). */
  readonly minShards: number;
  /** Samples (and histograms) in one request at most. */
  readonly maxSamplesPerSend: number;
  /** The longest a sample waits for its batch to fill, ms. */
  readonly batchSendDeadlineMs: number;
  /** The first retry's delay, ms; it doubles on each retry of the same batch. */
  readonly minBackoffMs: number;
  /** Retry delays stop doubling here, ms. */
  readonly maxBackoffMs: number;
  /** Whether 429 Too Many Requests is retried (else the batch is dropped as any other 4xx). */
  readonly retryOnHttp429: boolean;
}

export interface RemoteWriteTlsConfig {
  /** PEM certificate authorities to trust, read from `ca_file`. @default Node's */
  readonly ca?: string;
  /** PEM client certificate and key (`cert_file`, `key_file`), for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
  /** The name the server's certificate must carry. @default the URL's host */
  readonly serverName?: string;
  /** Accept any server certificate (tests only). */
  readonly insecureSkipVerify: boolean;
}

export interface RemoteWriteEndpoint {
  /** The endpoint's name in metrics, logs and the status page: `name`, or the URL's host and path. */
  readonly name: string;
  readonly url: URL;
  /** Extra request headers (Mimir's `X-Scope-OrgID`, ...). */
  readonly headers: Readonly<Record<string, string>>;
  /** How long one request may take, ms. */
  readonly remoteTimeoutMs: number;
  /** The `Authorization` header: `Basic ...` or `<type> <credentials>`, if any. */
  readonly authorization: string | undefined;
  readonly tls: RemoteWriteTlsConfig;
  readonly queue: RemoteWriteQueueConfig;
  /** Which message to send; 2.0 falls back to 1.0 when the receiver does not take it. */
  readonly protobufMessage: RemoteWriteMessage;
  /**
   * Remote write 1.0: exponential histograms as native histograms (Prometheus' own
   * `send_native_histograms`; the receiver needs them enabled), else as classic buckets as the
   * text exposition writes them. 2.0 always sends native histograms.
   */
  readonly sendNativeHistograms: boolean;
}

/** Prometheus' defaults for `remote_write` (`config.DefaultRemoteWriteConfig`, `DefaultQueueConfig`). */
export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;
export const DEFAULT_QUEUE_CONFIG: RemoteWriteQueueConfig = {
  capacity: 10_000,
  maxShards: 50,
  minShards: 1,
  maxSamplesPerSend: 2_000,
  batchSendDeadlineMs: 5_000,
  minBackoffMs: 30,
  maxBackoffMs: 5_000,
  retryOnHttp429: true,
};

/** How often the series written since the last round are forwarded. */
export const DEFAULT_REMOTE_WRITE_INTERVAL_MS = 15_000;

/** An endpoint with only a URL (`--remote-write-url`): every other field its default. */
export function endpointWithDefaults(url: URL, overrides: Partial<RemoteWriteEndpoint> = {}): RemoteWriteEndpoint {
  return {
    name: overrides.name ?? defaultEndpointName(url),
    url,
    headers: overrides.headers ?? {},
    remoteTimeoutMs: overrides.remoteTimeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS,
    authorization: overrides.authorization,
    tls: overrides.tls ?? { insecureSkipVerify: false },
    queue: overrides.queue ?? DEFAULT_QUEUE_CONFIG,
    protobufMessage: overrides.protobufMessage ?? 'prometheus.WriteRequest',
    sendNativeHistograms: overrides.sendNativeHistograms ?? false,
  };
}

/** A name for an endpoint without one: its host and path, readable in a label (no credentials, no query). */
export function defaultEndpointName(url: URL): string {
  return `${url.host}${url.pathname}`;
}
