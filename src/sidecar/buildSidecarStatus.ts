import type { StateStats } from '../outputs/state/StateKeeper.ts';
import type { EndpointStatus } from '../outputs/push/remoteWrite/RemoteWriteOutput.ts';
import type { HistogramBucketWarning, RefusedRequests, RemoteWriteStatus, ResourceStatus, StateKeepingStatus, StatusSettings, StatusSummary } from '../server/statusSummary.ts';
import { formatHostPort } from '../config/listenAddress.ts';
import type { SidecarAddresses, SidecarEndpoint } from './sidecarAddresses.ts';
import type { SidecarSettings } from './sidecarSettings.ts';

/** What the sidecar knows when its status is asked for. */
export interface SidecarStatusInput {
  readonly version: string;
  readonly settings: SidecarSettings;
  /** Where it listens; undefined while stopped (the configured addresses are shown then). */
  readonly addresses: SidecarAddresses | undefined;
  readonly state: StatusSummary['state'];
  readonly startedAtMs: number | undefined;
  readonly nowMs: number;
  readonly seriesHeld: number;
  readonly resources: readonly ResourceStatus[];
  readonly refusedRequests: RefusedRequests;
  /** Histograms the bucket linter flagged. */
  readonly histogramBucketWarnings?: readonly HistogramBucketWarning[] | undefined;
  /** The state keeper's figures; undefined without a state directory. */
  readonly stateKeeping?: StateStats | undefined;
  /** The remote-write endpoints and what each did. */
  readonly remoteWrite?: readonly EndpointStatus[] | undefined;
}

/**
 * The status page's summary. Settings are picked one by one (never spread from the configuration),
 * so that a credential added to it later cannot reach the page unless someone adds it here.
 */
export function buildSidecarStatus(input: SidecarStatusInput): StatusSummary {
  const { settings: s, addresses } = input;
  const settings: StatusSettings = {
    otlpHttpListen: listenText(s.enabled.otlpHttp, s.otlpHttp, addresses?.otlpHttp),
    otlpHttpPath: s.otlpHttp.path,
    otlpGrpcListen: listenText(s.enabled.otlpGrpc, s.otlpGrpc, addresses?.otlpGrpc),
    metricsListen: listenText(s.enabled.metrics, s.metrics, addresses?.metrics),
    metricsPath: s.metrics.path,
    namespace: s.namespace,
    translationStrategy: s.translationStrategy,
    promotedResourceAttributes: promotedText(s.promoteResourceAttributes, s.promoteResourceAttributesMatching),
    scopeLabels: s.scopeLabels,
    targetInfo: s.targetInfo,
    metricExpirationMs: s.metricExpirationMs,
    maxSeries: s.maxSeries,
    maxRequestBytes: s.maxRequestBytes,
    selfMetrics: s.selfMetrics,
    drainPeriodMs: s.drainPeriodMs,
    // The kind of credentials only: the secrets themselves never leave the settings.
    auth: { otlpHttp: s.auth.otlpHttp?.kind ?? 'off', otlpGrpc: s.auth.otlpGrpc?.kind ?? 'off', metrics: s.auth.metrics?.kind ?? 'off' },
    tls: { otlpHttp: s.tls.otlpHttp !== undefined, otlpGrpc: s.tls.otlpGrpc !== undefined, metrics: s.tls.metrics !== undefined },
  };
  return {
    version: input.version,
    nodeVersion: process.versions.node,
    state: input.state,
    startedAtMs: input.startedAtMs,
    nowMs: input.nowMs,
    settings,
    seriesHeld: input.seriesHeld,
    resources: input.resources,
    refusedRequests: input.refusedRequests,
    histogramBucketWarnings: input.histogramBucketWarnings ?? [],
    ...(input.stateKeeping === undefined ? {} : { stateKeeping: stateKeepingOf(input.stateKeeping) }),
    remoteWrite: (input.remoteWrite ?? []).map(remoteWriteOf),
  };
}

function remoteWriteOf({ name, url, stats }: EndpointStatus): RemoteWriteStatus {
  return {
    name,
    url,
    message: stats.message,
    health: stats.consecutiveFailures > 0 ? 'retrying' : stats.lastSuccessMs === 0 ? 'idle' : 'ok',
    samplesSent: stats.samplesSent,
    histogramsSent: stats.histogramsSent,
    bytesSent: stats.bytesSent,
    samplesRetried: stats.samplesRetried,
    droppedByReason: Object.fromEntries(Object.entries(stats.samplesDropped).filter(([, count]) => count > 0)),
    queueLength: stats.queueLength,
    shards: stats.shards,
    fallbacks: stats.fallbacks,
    newestSentMs: stats.newestSentTimestampMs === 0 ? undefined : stats.newestSentTimestampMs,
    lastError: stats.lastErrorMs === 0 ? undefined : { atMs: stats.lastErrorMs, message: stats.lastError },
  };
}

function stateKeepingOf(state: StateStats): StateKeepingStatus {
  return {
    directory: state.directory,
    snapshotIntervalMs: state.intervalMs,
    restoreOutcome: state.restore?.outcome,
    restoredSeries: state.restore?.series ?? 0,
    restoreProblem: state.restore?.problem,
    snapshotsWritten: state.snapshotsSucceeded,
    snapshotsFailed: state.snapshotsFailed,
    lastSnapshot: state.lastSnapshot,
    lastFailure: state.lastFailure,
  };
}

function promotedText(keys: readonly string[], pattern: RegExp | undefined): string[] {
  return [...keys, ...(pattern === undefined ? [] : [`keys matching ${String(pattern)}`])];
}

/** `host:port` as bound (the port a 0 picked), else as configured; `off` for a listener turned off. */
function listenText(enabled: boolean, configured: { host: string; port: number }, bound: SidecarEndpoint | undefined): string {
  if (!enabled) return 'off';
  return bound?.enabled === true ? formatHostPort(bound.host, bound.port) : formatHostPort(configured.host, configured.port);
}
