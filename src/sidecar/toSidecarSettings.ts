import { readFileSync } from 'node:fs';
import {
  DEFAULT_MAX_EXPONENTIAL_BUCKETS,
  DEFAULT_METRICS_PORT,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_OTLP_HTTP_PATH,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_SIDECAR_HOST,
} from '../config/defaults.ts';
import type { ListenAddress } from '../config/listenAddress.ts';
import { resolveListenerSecurity } from '../config/listenerSecurity.ts';
import type { ConfigValues } from '../config/schema.ts';
import type { ListenSetting } from '../config/settingTypes.ts';
import type { Logger } from '../model/dropCounter.ts';
import { SIDECAR_JOB_AND_INSTANCE, type SidecarSettings } from './sidecarSettings.ts';
import { sortedPairs, toRemoteWriteEndpoints } from './remoteWriteSettings.ts';

/** What the command line does not set. */
export interface SidecarRuntime {
  /** Where warnings go. @default none (silent) */
  readonly logger?: Logger;
  /** Reads the secret and certificate files. @default readFileSync(path, 'utf8') */
  readonly readFile?: (path: string) => string;
}

/** Where a listener binds; one turned `off` keeps the default address (it is not started). */
function address(value: ListenSetting, defaultPort: number): ListenAddress {
  return value === 'off' ? { host: DEFAULT_SIDECAR_HOST, port: defaultPort } : { host: value.host, port: value.port };
}

/**
 * The schema's values (checked by the loader already) as the Sidecar's settings: the same names,
 * nothing checked twice. Reads the secret and certificate files now; a missing, empty or malformed
 * one, or conflicting settings, throw a ConfigError.
 */
export function toSidecarSettings(values: ConfigValues, { logger, readFile = (path) => readFileSync(path, 'utf8') }: SidecarRuntime = {}): SidecarSettings {
  const { auth, tls } = resolveListenerSecurity(values, readFile);
  return {
    metrics: { ...address(values.metricsListen, DEFAULT_METRICS_PORT), path: values.metricsPath },
    otlpHttp: { ...address(values.otlpHttpListen, DEFAULT_OTLP_HTTP_PORT), path: DEFAULT_OTLP_HTTP_PATH },
    otlpGrpc: address(values.otlpGrpcListen, DEFAULT_OTLP_GRPC_PORT),
    enabled: { metrics: values.metricsListen !== 'off', otlpHttp: values.otlpHttpListen !== 'off', otlpGrpc: values.otlpGrpcListen !== 'off' },
    // One set of credentials for both OTLP receivers.
    auth: { metrics: auth.metrics, otlpHttp: auth.otlp, otlpGrpc: auth.otlp },
    tls,
    translationStrategy: values.translationStrategy,
    namespace: values.namespace,
    labelNamePreserveMultipleUnderscores: values.labelNamePreserveMultipleUnderscores,
    labelNameUnderscoreSanitization: values.labelNameUnderscoreSanitization,
    promoteResourceAttributes: values.promoteResourceAttributes,
    promoteResourceAttributesMatching: undefined,
    scopeLabels: values.scopeLabels,
    targetInfo: values.targetInfo,
    jobAndInstance: SIDECAR_JOB_AND_INSTANCE,
    metricExpirationMs: values.metricExpirationMs,
    maxSeries: values.maxSeries,
    maxRequestBytes: values.maxRequestBytes,
    maxInFlightRequests: values.maxInFlightRequests,
    maxEventLoopDelayMs: values.maxEventLoopDelayMs,
    eventLoopDelayProbe: undefined,
    maxExponentialBuckets: DEFAULT_MAX_EXPONENTIAL_BUCKETS,
    openMetricsCreatedLines: values.openMetricsCreatedLines,
    selfMetrics: values.selfMetrics,
    drainPeriodMs: values.drainPeriodMs,
    stateDir: values.stateDir === '' ? undefined : values.stateDir,
    stateSnapshotIntervalMs: values.stateSnapshotIntervalMs,
    remoteWrite: { endpoints: toRemoteWriteEndpoints(values.remoteWrite, readFile), intervalMs: values.remoteWriteIntervalMs, externalLabels: sortedPairs(values.externalLabels) },
    logger,
    clock: Date.now,
  };
}
