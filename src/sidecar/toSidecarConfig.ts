import { readFileSync } from 'node:fs';
import type { ListenerAuth } from '../net/auth/listenerAuth.ts';
import type { TlsCredentials } from '../net/tls/tlsCredentials.ts';
import type { SidecarConfig } from './sidecarSettings.ts';
import { resolveListenerSecurity } from '../config/listenerSecurity.ts';
import type { ConfigValues } from '../config/schema.ts';
import type { ListenSetting } from '../config/settingTypes.ts';

function listener(value: ListenSetting): { enabled: boolean; host?: string; port?: number } {
  return value === 'off' ? { enabled: false } : { enabled: true, host: value.host, port: value.port };
}

/**
 * The settings as the Sidecar takes them (the logger and clock are the caller's). Reads the secret
 * and certificate files now; a missing, empty or malformed one, or conflicting settings, throw a
 * ConfigError.
 */
export function toSidecarConfig(values: ConfigValues, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): SidecarConfig {
  const { auth, tls } = resolveListenerSecurity(values, readFile);
  const secured = <T extends object>(base: T, listenerAuth: ListenerAuth | undefined, listenerTls: TlsCredentials | undefined) => ({
    ...base,
    ...(listenerAuth === undefined ? {} : { auth: listenerAuth }),
    ...(listenerTls === undefined ? {} : { tls: listenerTls }),
  });
  return {
    metrics: secured({ ...listener(values.metricsListen), path: values.metricsPath }, auth.metrics, tls.metrics),
    otlpHttp: secured(listener(values.otlpHttpListen), auth.otlp, tls.otlpHttp),
    otlpGrpc: secured(listener(values.otlpGrpcListen), auth.otlp, tls.otlpGrpc),
    namespace: values.namespace,
    translationStrategy: values.translationStrategy,
    labelNamePreserveMultipleUnderscores: values.labelNamePreserveMultipleUnderscores,
    labelNameUnderscoreSanitization: values.labelNameUnderscoreSanitization,
    resourceAttributesAsLabels: values.promoteResourceAttributes,
    withoutScopeInfo: !values.scopeLabels,
    withoutTargetInfo: !values.targetInfo,
    metricExpirationMs: values.metricExpiration,
    maxSeries: values.maxSeries,
    maxRequestBytes: values.maxRequestBody,
    maxInFlightRequests: values.maxInFlightRequests,
    maxEventLoopDelayMs: values.maxEventLoopDelay,
    selfMetrics: values.selfMetrics,
    drainPeriodMs: values.drainPeriod,
  };
}
