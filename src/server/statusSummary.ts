/**
 * What the sidecar's status page (`/`, and `/api/v1/status` as JSON) shows a person debugging it.
 * Every setting shown is listed here one by one, never copied wholesale from the configuration,
 * so that credentials and other secrets cannot reach the page.
 */
export interface StatusSummary {
  readonly version: string;
  readonly nodeVersion: string;
  /** `stopped` before `start()` and after `stop()`. */
  readonly state: 'ready' | 'draining' | 'stopped';
  /** When the listeners last started, in ms since the epoch; undefined while stopped. */
  readonly startedAtMs: number | undefined;
  /** The sidecar's clock when the summary was taken (ages are measured from it). */
  readonly nowMs: number;
  readonly settings: StatusSettings;
  /** Metric series held now (`target_info` not counted), which `settings.maxSeries` bounds. */
  readonly seriesHeld: number;
  /** The resources pushing to it, sorted by job then instance. */
  readonly resources: readonly ResourceStatus[];
  /** OTLP requests refused whole, before any resource in them was read (malformed bodies, 413, 415, 401, 503...). */
  readonly refusedRequests?: RefusedRequests | undefined;
}

/** The settings shown. */
export interface StatusSettings {
  /** `host:port` bound (configured until it listens), or `off`. */
  readonly otlpHttpListen: string;
  readonly otlpHttpPath: string;
  readonly otlpGrpcListen: string;
  readonly metricsListen: string;
  readonly metricsPath: string;
  /** '' for none. */
  readonly namespace: string;
  readonly translationStrategy: string;
  readonly promotedResourceAttributes: readonly string[];
  readonly scopeLabels: boolean;
  readonly targetInfo: boolean;
  readonly metricExpirationMs: number;
  readonly maxSeries: number;
  readonly maxRequestBytes: number;
  readonly selfMetrics: boolean;
  readonly drainPeriodMs: number;
  /** Per listener: the kind of credentials it asks for (`bearer`, `basic`) or `off`; never the credentials. */
  readonly auth: { readonly otlpHttp: string; readonly otlpGrpc: string; readonly metrics: string };
  /** Per listener: whether it serves TLS. */
  readonly tls: { readonly otlpHttp: boolean; readonly otlpGrpc: boolean; readonly metrics: boolean };
}

/** One pushing resource, by the `job`/`instance` it becomes ('' where it has none). */
export interface ResourceStatus {
  readonly job: string;
  readonly instance: string;
  /** Metric series the store holds with this job and instance. */
  readonly seriesHeld: number;
  /** When its last export was applied, in ms since the epoch; undefined when no export was seen (series from elsewhere). */
  readonly lastPushMs: number | undefined;
  /** Export requests that carried it. */
  readonly pushes: number;
  readonly acceptedPoints: number;
  readonly refusedPoints: number;
  /** The latest distinct reasons its points were refused, newest last (bounded). */
  readonly recentRefusals: readonly string[];
  /** Points refused, by reason (`out_of_order`, `multiple_writers`…); only reasons seen. */
  readonly refusedByReason: Readonly<Record<string, number>>;
  /**
   * Several writers push this resource's cumulative series (points refused as `multiple_writers`):
   * replicas sharing one identity, each needing a distinct `service.instance.id`.
   */
  readonly multipleWriters: boolean;
}

/** One OTLP request refused whole. */
export interface RequestRefusal {
  /** When, in ms since the epoch. */
  readonly atMs: number;
  readonly protocol: string;
  /** The `outcome` label it is counted under (`malformed`, `too_large`...). */
  readonly outcome: string;
  /** What the client was told. */
  readonly message: string;
}

/** Requests refused whole: how many by protocol and outcome, and the latest few. */
export interface RefusedRequests {
  /** `"<protocol> <outcome>"` → requests. */
  readonly byOutcome: Readonly<Record<string, number>>;
  /** Newest last (bounded). */
  readonly recent: readonly RequestRefusal[];
}
