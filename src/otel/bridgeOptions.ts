import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { DefaultMetricsCollectorConfiguration, Registry } from 'prom-client';
import type { Logger } from '../model/dropCounter.ts';
import type { TranslationSettings } from '../model/seriesStore.ts';
import {
  DEFAULT_TRANSLATION_STRATEGY,
  isTranslationStrategy,
  type TranslationStrategy,
} from '../translate/translationStrategy.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../translate/exponentialBuckets.ts';

/**
 * Options of the in-process exporter: every option of `@opentelemetry/exporter-prometheus`'s
 * `ExporterConfig`, with the same names and defaults, and the bridge's own after them.
 */
export interface ExporterConfig {
  /** Namespace prefixed to every metric name as `<prefix>_`. @default '' */
  prefix?: string;
  /** Write each sample's timestamp. @default false */
  appendTimestamp?: boolean;
  /** Metrics path. @default '/metrics' */
  endpoint?: string;
  /** Listen address. @default OTEL_EXPORTER_PROMETHEUS_HOST, else 'localhost' */
  host?: string;
  /** Listen port; 0 picks a free one (see `address()`). @default OTEL_EXPORTER_PROMETHEUS_PORT, else 9464 */
  port?: number;
  /** Do not start the HTTP server (serve through `render()`, the fastify plugin or the request handler). @default false */
  preventServerStart?: boolean;
  /** Extra producers of metric data besides the SDK's. @default none */
  metricProducers?: MetricProducer[];
  /** Resource attributes whose keys match become labels on every series. @default none */
  withResourceConstantLabels?: RegExp;
  /** Leave out the `otel_scope_*` labels. @default false */
  withoutScopeInfo?: boolean;
  /** Leave out `target_info`. @default false */
  withoutTargetInfo?: boolean;

  /** How names are translated. @default 'UnderscoreEscapingWithSuffixes' */
  translationStrategy?: TranslationStrategy;
  /**
   * Keep runs of `_` in attribute keys made label names (`label__x` stays; false gives `label_x`),
   * as Prometheus' `otlp.label_name_preserve_multiple_underscores`. Escaping strategies only. @default true
   */
  labelNamePreserveMultipleUnderscores?: boolean;
  /**
   * Put `key` before a label name starting with a single `_` (`_foo` → `key_foo`; false keeps
   * `_foo`), as Prometheus' `otlp.label_name_underscore_sanitization`. Escaping strategies only. @default true
   */
  labelNameUnderscoreSanitization?: boolean;
  /** Resource attributes, by exact key, that become labels on every series (`service.name` → `service_name`). @default none */
  resourceAttributesAsLabels?: string[];
  /** Add `job` and `instance` from `service.*` resource attributes, as the sidecar does. @default false */
  withJobAndInstance?: boolean;
  /** Bound on the classic buckets an exponential histogram becomes. @default 40 */
  maxExponentialBuckets?: number;
  /** prom-client registries whose metrics join the output. @default none */
  promClientRegistries?: Registry[];
  /** Add prom-client's default process and Node.js metrics (true, or its configuration). @default false */
  promClientDefaultMetrics?: boolean | Omit<DefaultMetricsCollectorConfiguration<'text/plain; version=0.0.4; charset=utf-8'>, 'register'>;
  /** Where warnings go (dropped metrics and the like). @default OpenTelemetry's `diag` */
  logger?: Logger;
}

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly endpoint: string;
  readonly preventServerStart: boolean;
}

export const DEFAULT_HOST = 'localhost';
export const DEFAULT_PORT = 9464;
export const DEFAULT_ENDPOINT = '/metrics';

/** Settings from the config, then `OTEL_EXPORTER_PROMETHEUS_HOST`/`_PORT`, then defaults. */
export function resolveServerSettings(config: ExporterConfig, env: NodeJS.ProcessEnv, warn: (message: string) => void): ServerSettings {
  // An empty host or endpoint means the default, as in the official exporter (not every interface, not `/`).
  const host = nonEmpty(config.host) ?? nonEmpty(env.OTEL_EXPORTER_PROMETHEUS_HOST) ?? DEFAULT_HOST;
  // A port written as digits ('9464', as from process.env) works with the official exporter too.
  let port: number | undefined = typeof config.port === 'string' && /^\d+$/.test(config.port) ? Number(config.port) : config.port;
  if (port !== undefined && !isPort(port)) {
    throw new RangeError(`PrometheusExporter option port must be an integer from 0 to 65535 (0 picks a free port); got ${String(port)}.`);
  }
  const envPort = nonEmpty(env.OTEL_EXPORTER_PROMETHEUS_PORT);
  if (port === undefined && envPort !== undefined) {
    if (/^\d+$/.test(envPort) && isPort(Number(envPort))) port = Number(envPort);
    else warn(`OTEL_EXPORTER_PROMETHEUS_PORT must be a port number from 0 to 65535; got ${JSON.stringify(envPort)}, using ${DEFAULT_PORT}.`);
  }
  const endpoint = nonEmpty(config.endpoint) ?? DEFAULT_ENDPOINT;
  return {
    host,
    port: port ?? DEFAULT_PORT,
    endpoint: endpoint.startsWith('/') ? endpoint : `/${endpoint}`,
    preventServerStart: config.preventServerStart === true,
  };
}

export function resolveTranslationSettings(config: ExporterConfig): TranslationSettings {
  const strategy = config.translationStrategy ?? DEFAULT_TRANSLATION_STRATEGY;
  if (!isTranslationStrategy(strategy)) {
    throw new TypeError(
      `PrometheusExporter option translationStrategy must be one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation; got ${JSON.stringify(strategy)}.`,
    );
  }
  const keys = config.resourceAttributesAsLabels;
  const pattern = config.withResourceConstantLabels;
  return {
    strategy,
    namespace: config.prefix ?? '',
    withScopeLabels: config.withoutScopeInfo !== true,
    withTargetInfo: config.withoutTargetInfo !== true,
    withJobAndInstance: config.withJobAndInstance === true,
    promoteResourceAttributes: keys === undefined && pattern === undefined ? undefined : { keys, pattern },
    labelNamePreserveMultipleUnderscores: resolveFlag('labelNamePreserveMultipleUnderscores', config.labelNamePreserveMultipleUnderscores),
    labelNameUnderscoreSanitization: resolveFlag('labelNameUnderscoreSanitization', config.labelNameUnderscoreSanitization),
  };
}

/** A boolean option, true by default. */
function resolveFlag(name: string, value: boolean | undefined): boolean {
  const chosen = value ?? true;
  if (typeof chosen !== 'boolean') throw new TypeError(`PrometheusExporter option ${name} must be true or false; got ${JSON.stringify(chosen)}.`);
  return chosen;
}

export function resolveMaxExponentialBuckets(config: ExporterConfig): number {
  const max = config.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`PrometheusExporter option maxExponentialBuckets must be a whole number of at least 1; got ${String(max)}.`);
  }
  return max;
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
