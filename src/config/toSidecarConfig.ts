import type { SidecarConfig } from '../sidecar/sidecarSettings.ts';
import type { ConfigValues } from './schema.ts';
import type { ListenSetting } from './settingTypes.ts';

function listener(value: ListenSetting): { enabled: boolean; host?: string; port?: number } {
  return value === 'off' ? { enabled: false } : { enabled: true, host: value.host, port: value.port };
}

/** The settings as the Sidecar takes them (the logger and clock are the caller's). */
export function toSidecarConfig(values: ConfigValues): SidecarConfig {
  return {
    metrics: { ...listener(values.metricsListen), path: values.metricsPath },
    otlpHttp: listener(values.otlpHttpListen),
    otlpGrpc: listener(values.otlpGrpcListen),
    namespace: values.namespace,
    translationStrategy: values.translationStrategy,
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
