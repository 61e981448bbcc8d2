import type { RefusedRequests, ResourceStatus, StatusSettings, StatusSummary } from '../server/statusSummary.ts';
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
