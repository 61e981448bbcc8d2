import type { Logger } from '../model/dropCounter.ts';
import type { EventLoopDelayProbe } from '../otlp/receiver/eventLoopDelayProbe.ts';
import {
  DEFAULT_DRAIN_PERIOD_MS,
  DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES,
  DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION,
  DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
  DEFAULT_MAX_EXPONENTIAL_BUCKETS,
  DEFAULT_MAX_IN_FLIGHT_REQUESTS,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_METRIC_EXPIRATION_MS,
  DEFAULT_METRICS_PATH,
  DEFAULT_METRICS_PORT,
  DEFAULT_NAMESPACE,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_OTLP_HTTP_PATH,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_SCOPE_LABELS,
  DEFAULT_OPENMETRICS_CREATED_LINES,
  DEFAULT_SELF_METRICS,
  DEFAULT_SIDECAR_HOST,
  DEFAULT_SIDECAR_MAX_SERIES,
  DEFAULT_STATE_SNAPSHOT_INTERVAL_MS,
  DEFAULT_TARGET_INFO,
  DEFAULT_TRANSLATION_STRATEGY,
} from '../config/defaults.ts';
import type { TranslationSettings } from '../config/translationSettings.ts';
import type { ListenerAuth } from '../net/auth/listenerAuth.ts';
import type { TlsCredentials } from '../net/tls/tlsCredentials.ts';
import { isTranslationStrategy, type TranslationStrategy } from '../translate/translationStrategy.ts';
import { isPort, type ListenAddress } from '../config/listenAddress.ts';
import { resolveRemoteWrite, type RemoteWriteOptions, type RemoteWriteSettings } from './remoteWriteSettings.ts';

export interface HttpListenerConfig {
  /** false: the listener is not started. @default true */
  readonly enabled?: boolean;
  /** @default '0.0.0.0' (every IPv4 interface) */
  readonly host?: string;
  /** 0 picks a free port (see the addresses `start()` returns). */
  readonly port?: number;
  readonly path?: string;
  /**
   * Credentials requests must carry (`Authorization: Bearer` or `Basic`); others get 401. On the
   * metrics listener `/-/healthy` and `/-/ready` stay open for probes. @default none (open)
   */
  readonly auth?: ListenerAuth;
  /** Serve HTTPS with this certificate and key (PEM). @default plain HTTP */
  readonly tls?: TlsCredentials;
}

export interface GrpcListenerConfig {
  /** false: the listener is not started. @default true */
  readonly enabled?: boolean;
  /** @default '0.0.0.0' (every IPv4 interface) */
  readonly host?: string;
  /** 0 picks a free port. @default 4317 */
  readonly port?: number;
  /** Credentials calls must carry in their `authorization` metadata; others get UNAUTHENTICATED. @default none (open) */
  readonly auth?: ListenerAuth;
  /** Serve TLS with this certificate and key (PEM). @default plaintext */
  readonly tls?: TlsCredentials;
}

/** The sidecar's configuration; every field has a working default. */
export interface SidecarConfig {
  /** OTLP/HTTP receiver. @default { host: '0.0.0.0', port: 4318, path: '/v1/metrics' } */
  readonly otlpHttp?: HttpListenerConfig;
  /** OTLP/gRPC receiver. @default { host: '0.0.0.0', port: 4317 } */
  readonly otlpGrpc?: GrpcListenerConfig;
  /** Where Prometheus scrapes. @default { host: '0.0.0.0', port: 9464, path: '/metrics' } */
  readonly metrics?: HttpListenerConfig;
  /** Largest OTLP request, in bytes, before and after inflating. @default 16 MiB */
  readonly maxRequestBytes?: number;
  /**
   * Most OTLP/HTTP export requests in flight at once (from their headers until answered, so slow
   * uploads count); the next is refused with 503 and `Retry-After: 1`, unread. @default 64
   */
  readonly maxInFlightRequests?: number;
  /**
   * New exports are refused (HTTP 503 with `Retry-After: 1`, gRPC UNAVAILABLE) while the event
   * loop's mean delay over the last second is above this, in ms. @default 1000
   */
  readonly maxEventLoopDelayMs?: number;
  /** Measures the event loop's delay (tests inject one). @default `monitorEventLoopDelay`, 20 ms resolution, 1 s windows */
  readonly eventLoopDelayProbe?: EventLoopDelayProbe;
  /** A series no point has updated for this long disappears. @default 300_000 (5 minutes) */
  readonly metricExpirationMs?: number;
  /** The most series held; points that would create more are refused and reported. @default 200_000 */
  readonly maxSeries?: number;
  /** How names are translated. @default 'UnderscoreEscapingWithSuffixes' */
  readonly translationStrategy?: TranslationStrategy;
  /** Keep runs of `_` in label names made from attribute keys (`label__x` stays), as Prometheus' `otlp.label_name_preserve_multiple_underscores`. @default true */
  readonly labelNamePreserveMultipleUnderscores?: boolean;
  /** `_foo` → `key_foo` for label names starting with a single `_`, as Prometheus' `otlp.label_name_underscore_sanitization`. @default true */
  readonly labelNameUnderscoreSanitization?: boolean;
  /** Prefix for every metric name, as `<namespace>_`. @default '' */
  readonly namespace?: string;
  /** Leave out the `otel_scope_*` labels. @default false */
  readonly withoutScopeInfo?: boolean;
  /** Leave out `target_info`. @default false */
  readonly withoutTargetInfo?: boolean;
  /** Resource attributes, by exact key, copied onto every series (`service.name` → `service_name`). @default none */
  readonly resourceAttributesAsLabels?: readonly string[];
  /**
   * The bridge's own metrics on the metrics path: `otel_prom_bridge_*` (requests, points, series,
   * expiry, drops, scrapes, build) and prom-client's default process and Node.js metrics, from a
   * private registry. false serves only the pushed data. @default true
   */
  readonly selfMetrics?: boolean;
  /**
   * `shutdown()`: after new OTLP exports start being refused, the metrics path goes on answering
   * this long (so that a last scrape sees the last data) before the listeners close, in ms; 0 for
   * none. @default 5000
   */
  readonly drainPeriodMs?: number;
  /**
   * Keep the series across restarts in this directory (created if missing; one sidecar per
   * directory, held by a lock file): restored at `start()` before the listeners open, written every
   * `stateSnapshotIntervalMs` and at `stop()`. @default none (nothing kept)
   */
  readonly stateDir?: string;
  /** With `stateDir`: how often the series are written, in ms. @default 30_000 */
  readonly stateSnapshotIntervalMs?: number;
  /**
   * Prometheus remote write: the series written are also sent to these endpoints every
   * `intervalMs` (Mimir, Thanos Receive, Cortex, Prometheus). @default none
   */
  readonly remoteWrite?: RemoteWriteOptions;
  /** Bound on the classic buckets an exponential histogram becomes. @default 40 */
  readonly maxExponentialBuckets?: number;
  /** OpenMetrics scrapes get `_created` lines (start times) for counters, histograms and summaries. @default false */
  readonly openMetricsCreatedLines?: boolean;
  /** Where warnings go (dropped data, failures). @default none (silent) */
  readonly logger?: Logger;
  /** The sidecar's clock, in ms since the epoch (receive times, expiry). @default Date.now */
  readonly clock?: () => number;
}

export type ListenerName = 'otlpHttp' | 'otlpGrpc' | 'metrics';

/**
 * The sidecar's settings, resolved once (from its options here, or from the command line's schema
 * by `toSidecarSettings`): defaults filled in, values checked, names as the schema's and positive.
 */
export interface SidecarSettings extends TranslationSettings {
  readonly otlpHttp: ListenAddress & { readonly path: string };
  readonly otlpGrpc: ListenAddress;
  readonly metrics: ListenAddress & { readonly path: string };
  /** Which listeners are started (`enabled: false` turns one off). */
  readonly enabled: { readonly otlpHttp: boolean; readonly otlpGrpc: boolean; readonly metrics: boolean };
  /** Each listener's credentials; undefined: open. */
  readonly auth: { readonly [L in ListenerName]: ListenerAuth | undefined };
  /** Each listener's certificate and key; undefined: no TLS. */
  readonly tls: { readonly [L in ListenerName]: TlsCredentials | undefined };
  readonly maxRequestBytes: number;
  readonly maxInFlightRequests: number;
  readonly maxEventLoopDelayMs: number;
  /** Undefined: the default probe. */
  readonly eventLoopDelayProbe: EventLoopDelayProbe | undefined;
  readonly metricExpirationMs: number;
  readonly maxSeries: number;
  readonly maxExponentialBuckets: number;
  readonly openMetricsCreatedLines: boolean;
  readonly selfMetrics: boolean;
  readonly drainPeriodMs: number;
  /** Undefined: nothing kept across restarts. */
  readonly stateDir: string | undefined;
  readonly stateSnapshotIntervalMs: number;
  /** No endpoints: nothing is sent. */
  readonly remoteWrite: RemoteWriteSettings;
  readonly logger: Logger | undefined;
  readonly clock: () => number;
}

/**
 * Whether `input` is settings already resolved (by `resolveSidecarSettings` or `toSidecarSettings`)
 * rather than options still to check: settings always have `enabled`, options never at the top.
 */
export function isResolvedSettings(input: SidecarConfig | SidecarSettings): input is SidecarSettings {
  return 'enabled' in input;
}

/** Many services push to one scrape target: job/instance keep them apart (MAPPING.md, Resource 1). */
export const SIDECAR_JOB_AND_INSTANCE = true;

/** Fills in the defaults; a wrong value throws at once, naming the option, the value and what is allowed. */
export function resolveSidecarSettings(config: SidecarConfig = {}): SidecarSettings {
  const strategy = config.translationStrategy ?? DEFAULT_TRANSLATION_STRATEGY;
  if (!isTranslationStrategy(strategy)) {
    throw new TypeError(
      `Sidecar option translationStrategy must be one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation; got ${JSON.stringify(strategy)}.`,
    );
  }
  const otlpHttp = listener('otlpHttp', config.otlpHttp, DEFAULT_OTLP_HTTP_PORT);
  const metrics = listener('metrics', config.metrics, DEFAULT_METRICS_PORT);
  return {
    otlpHttp: { ...otlpHttp, path: path('otlpHttp.path', config.otlpHttp?.path, DEFAULT_OTLP_HTTP_PATH) },
    otlpGrpc: listener('otlpGrpc', config.otlpGrpc, DEFAULT_OTLP_GRPC_PORT),
    metrics: { ...metrics, path: path('metrics.path', config.metrics?.path, DEFAULT_METRICS_PATH) },
    enabled: {
      otlpHttp: flag('otlpHttp.enabled', config.otlpHttp?.enabled, true),
      otlpGrpc: flag('otlpGrpc.enabled', config.otlpGrpc?.enabled, true),
      metrics: flag('metrics.enabled', config.metrics?.enabled, true),
    },
    auth: { otlpHttp: auth('otlpHttp', config.otlpHttp?.auth), otlpGrpc: auth('otlpGrpc', config.otlpGrpc?.auth), metrics: auth('metrics', config.metrics?.auth) },
    tls: { otlpHttp: tls('otlpHttp', config.otlpHttp?.tls), otlpGrpc: tls('otlpGrpc', config.otlpGrpc?.tls), metrics: tls('metrics', config.metrics?.tls) },
    maxRequestBytes: wholeNumber('maxRequestBytes', config.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, 1, 2 ** 31 - 1, 'bytes'),
    maxInFlightRequests: wholeNumber('maxInFlightRequests', config.maxInFlightRequests ?? DEFAULT_MAX_IN_FLIGHT_REQUESTS, 1, Number.MAX_SAFE_INTEGER, 'requests'),
    maxEventLoopDelayMs: positive('maxEventLoopDelayMs', config.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS),
    eventLoopDelayProbe: probe(config.eventLoopDelayProbe),
    metricExpirationMs: positive('metricExpirationMs', config.metricExpirationMs ?? DEFAULT_METRIC_EXPIRATION_MS),
    maxSeries: wholeNumber('maxSeries', config.maxSeries ?? DEFAULT_SIDECAR_MAX_SERIES, 1, Number.MAX_SAFE_INTEGER, 'series'),
    maxExponentialBuckets: wholeNumber('maxExponentialBuckets', config.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS, 1, Number.MAX_SAFE_INTEGER, 'buckets'),
    openMetricsCreatedLines: flag('openMetricsCreatedLines', config.openMetricsCreatedLines, DEFAULT_OPENMETRICS_CREATED_LINES),
    selfMetrics: flag('selfMetrics', config.selfMetrics, DEFAULT_SELF_METRICS),
    drainPeriodMs: wholeNumber('drainPeriodMs', config.drainPeriodMs ?? DEFAULT_DRAIN_PERIOD_MS, 0, 2 ** 31 - 1, 'milliseconds'),
    stateDir: stateDir(config.stateDir),
    stateSnapshotIntervalMs: wholeNumber('stateSnapshotIntervalMs', config.stateSnapshotIntervalMs ?? DEFAULT_STATE_SNAPSHOT_INTERVAL_MS, 1, 2 ** 31 - 1, 'milliseconds'),
    remoteWrite: resolveRemoteWrite(config.remoteWrite),
    translationStrategy: strategy,
    namespace: config.namespace ?? DEFAULT_NAMESPACE,
    labelNamePreserveMultipleUnderscores: flag('labelNamePreserveMultipleUnderscores', config.labelNamePreserveMultipleUnderscores, DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES),
    labelNameUnderscoreSanitization: flag('labelNameUnderscoreSanitization', config.labelNameUnderscoreSanitization, DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION),
    promoteResourceAttributes: [...(config.resourceAttributesAsLabels ?? [])],
    promoteResourceAttributesMatching: undefined,
    // The options say what to leave out, as the official exporter's do; the settings what to write.
    scopeLabels: config.withoutScopeInfo === undefined ? DEFAULT_SCOPE_LABELS : config.withoutScopeInfo !== true,
    targetInfo: config.withoutTargetInfo === undefined ? DEFAULT_TARGET_INFO : config.withoutTargetInfo !== true,
    jobAndInstance: SIDECAR_JOB_AND_INSTANCE,
    logger: config.logger,
    clock: config.clock ?? Date.now,
  };
}

function auth(name: string, value: ListenerAuth | undefined): ListenerAuth | undefined {
  if (value === undefined) return undefined;
  const text = (field: unknown) => typeof field === 'string' && field !== '';
  if (value?.kind === 'bearer' && text(value.token)) return value;
  if (value?.kind === 'basic' && text(value.username) && !value.username.includes(':') && text(value.password)) return value;
  // The value itself is left out of the message: it holds secrets.
  throw new TypeError(
    `Sidecar option ${name}.auth must be { kind: 'bearer', token } or { kind: 'basic', username, password } with non-empty texts (a username without ":"); leave it out for an open listener.`,
  );
}

function tls(name: string, value: TlsCredentials | undefined): TlsCredentials | undefined {
  if (value === undefined) return undefined;
  if (typeof value?.cert === 'string' && value.cert !== '' && typeof value.key === 'string' && value.key !== '') return value;
  throw new TypeError(`Sidecar option ${name}.tls must be { cert, key }, both PEM text; leave it out for no TLS.`);
}

/** A boolean option. */
function flag(name: string, value: boolean | undefined, fallback: boolean): boolean {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'boolean') throw new TypeError(`Sidecar option ${name} must be true or false; got ${JSON.stringify(chosen)}.`);
  return chosen;
}

function listener(name: string, config: { host?: string; port?: number } | undefined, defaultPort: number): ListenAddress {
  const host = config?.host ?? DEFAULT_SIDECAR_HOST;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new TypeError(`Sidecar option ${name}.host must be a host name or address (e.g. 0.0.0.0, 127.0.0.1, ::); got ${JSON.stringify(host)}.`);
  }
  const port = config?.port ?? defaultPort;
  if (!isPort(port)) throw new RangeError(`Sidecar option ${name}.port must be a whole number from 0 to 65535 (0 picks a free port); got ${String(port)}.`);
  return { host: host.trim(), port };
}

function path(name: string, value: string | undefined, fallback: string): string {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'string' || !chosen.startsWith('/')) {
    throw new TypeError(`Sidecar option ${name} must be a path starting with "/" (e.g. ${fallback}); got ${JSON.stringify(chosen)}.`);
  }
  return chosen;
}

function wholeNumber(name: string, value: number, min: number, max: number, unit: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Sidecar option ${name} must be a whole number of ${unit} from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

function stateDir(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`Sidecar option stateDir must be a directory path; got ${JSON.stringify(value)}. Leave it out to keep no state.`);
  return value.trim();
}

function probe(value: EventLoopDelayProbe | undefined): EventLoopDelayProbe | undefined {
  if (value === undefined) return undefined;
  if (typeof value?.start !== 'function' || typeof value.stop !== 'function' || typeof value.meanDelayMs !== 'function') {
    throw new TypeError('Sidecar option eventLoopDelayProbe must be an object with start(), stop() and meanDelayMs() methods; leave it out for the default probe.');
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new RangeError(`Sidecar option ${name} must be a positive number of milliseconds; got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}.`);
  return value;
}
