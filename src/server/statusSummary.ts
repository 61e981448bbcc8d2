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
  /** Histograms whose buckets cannot describe their data (the bucket linter), sorted by metric. */
  readonly histogramBucketWarnings?: readonly HistogramBucketWarning[] | undefined;
  /** The series kept on disk across restarts; undefined without a state directory. */
  readonly stateKeeping?: StateKeepingStatus | undefined;
  /** Each remote-write endpoint (none configured: empty). */
  readonly remoteWrite?: readonly RemoteWriteStatus[] | undefined;
}

/** One remote-write endpoint: where it is (no credentials), what it takes and how it goes. */
export interface RemoteWriteStatus {
  readonly name: string;
  /** Scheme, host and path only. */
  readonly url: string;
  /** The message sent now: `prometheus.WriteRequest`, or 2.0's until a fallback. */
  readonly message: string;
  /** `ok`, `retrying` (the last requests failed; they are sent again) or `idle` (nothing sent yet). */
  readonly health: 'ok' | 'retrying' | 'idle';
  readonly samplesSent: number;
  readonly histogramsSent: number;
  readonly bytesSent: number;
  readonly samplesRetried: number;
  /** Samples dropped, by reason; only reasons seen. */
  readonly droppedByReason: Readonly<Record<string, number>>;
  readonly queueLength: number;
  readonly shards: number;
  readonly fallbacks: number;
  /** The newest sample time the endpoint took, ms since the epoch; undefined before the first. */
  readonly newestSentMs: number | undefined;
  readonly lastError: { readonly atMs: number; readonly message: string } | undefined;
}

/** The state directory: the restore at start and the snapshots since. */
export interface StateKeepingStatus {
  readonly directory: string;
  readonly snapshotIntervalMs: number;
  /** What became of the restore at start (`restored`, `none`, `corrupt`…); undefined before it ran. */
  readonly restoreOutcome: string | undefined;
  /** Series taken back at start. */
  readonly restoredSeries: number;
  /** What was wrong with the snapshot at start, if something was. */
  readonly restoreProblem: string | undefined;
  readonly snapshotsWritten: number;
  readonly snapshotsFailed: number;
  /** The last snapshot written: when (ms since the epoch), how long it took, its size and series. */
  readonly lastSnapshot: { readonly atMs: number; readonly durationMs: number; readonly bytes: number; readonly series: number } | undefined;
  /** The last failure to write one, if any. */
  readonly lastFailure: { readonly atMs: number; readonly problem: string } | undefined;
}

/** One histogram the bucket linter flagged. */
export interface HistogramBucketWarning {
  /** The OpenTelemetry metric name: the instrument to fix. */
  readonly metric: string;
  /** `default_buckets_in_seconds`: unit `s` with the SDK's default boundaries, meant for milliseconds. */
  readonly reason: string;
  /** When it was first flagged, in ms since the epoch. */
  readonly firstSeenMs: number;
  /** What to do, in a sentence. */
  readonly fix: string;
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
