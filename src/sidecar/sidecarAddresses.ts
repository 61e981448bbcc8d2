/** Where one of the sidecar's listeners is bound. */
export interface SidecarEndpoint {
  /** False for a listener turned off in the config: then host and url are '' and port 0. */
  readonly enabled: boolean;
  /** The address bound, as the OS reports it (`0.0.0.0`, `127.0.0.1`, `::`). */
  readonly host: string;
  readonly port: number;
  /** A URL to reach it (loopback for a wildcard address; https:// with TLS), with the path for HTTP listeners. */
  readonly url: string;
}

/** Where the sidecar's three listeners are bound. */
export interface SidecarAddresses {
  readonly otlpHttp: SidecarEndpoint;
  readonly otlpGrpc: SidecarEndpoint;
  readonly metrics: SidecarEndpoint;
}
