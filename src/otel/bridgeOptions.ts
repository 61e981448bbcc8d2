import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { DefaultMetricsCollectorConfiguration } from 'prom-client';
import type { PromClientRegistry } from '../promclient/promClientRegistry.ts';
import {
  DEFAULT_EXPORTER_HOST,
  DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES,
  DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION,
  DEFAULT_MAX_EXPONENTIAL_BUCKETS,
  DEFAULT_METRICS_PATH,
  DEFAULT_METRICS_PORT,
  DEFAULT_NAMESPACE,
  DEFAULT_OPENMETRICS_CREATED_LINES,
  DEFAULT_SCOPE_LABELS,
  DEFAULT_TARGET_INFO,
  DEFAULT_TRANSLATION_STRATEGY,
} from '../config/defaults.ts';
import { isPort } from '../config/listenAddress.ts';
import type { TranslationSettings } from '../config/translationSettings.ts';
import type { Logger } from '../model/dropCounter.ts';
import { isTranslationStrategy, type TranslationStrategy } from '../translate/translationStrategy.ts';
import { DEFAULT_NAMING_COMPATIBILITY, isNamingCompatibility, NamingCompatibility } from '../translate/namingCompatibility.ts';

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

  /**
   * Whose naming the output follows. `'prometheus'`: Prometheus' OTLP naming (unit and type suffixes,
   * `_ratio`, scope attributes as labels; `translationStrategy` and the label-name flags below).
   * `'exporter-prometheus'`: series names, labels, HELP and TYPE as `@opentelemetry/exporter-prometheus`
   * writes them (no unit suffixes, no `_ratio`), to switch without breaking a dashboard; it cannot
   * be combined with `translationStrategy` or the label-name flags. @default 'prometheus'
   */
  compatibility?: NamingCompatibility;
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
  /**
   * OpenMetrics scrapes get a `_created` line (the series' start time, in seconds) for each counter,
   * histogram and summary series. Prometheus 2 stores them as series of their own. @default false
   */
  openMetricsCreatedLines?: boolean;
  /**
   * Registries whose metrics join the output: prom-client's or `@prometheus-io/client`'s (its
   * successor), `Registry` or an aggregating one (`ClusterRegistry`, `WorkerRegistry`, prom-client's
   * `AggregatorRegistry`: their workers' metrics added up, as they serve them). @default none
   */
  promClientRegistries?: PromClientRegistry[];
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

/**
 * The in-process exporters' settings, resolved once from their options: defaults filled in, values
 * checked, and the official exporter's names (`prefix`, `withoutScopeInfo`...) turned into the
 * bridge's positive ones (`namespace`, `scopeLabels`...).
 */
export interface BridgeSettings extends TranslationSettings {
  readonly server: ServerSettings;
  /** Each sample's timestamp written. */
  readonly appendTimestamp: boolean;
  readonly maxExponentialBuckets: number;
  readonly openMetricsCreatedLines: boolean;
}

/** Throws at once on a wrong option, naming it, its value and what is allowed; `warn` hears of a wrong variable, which falls back to the default. */
export function resolveBridgeSettings(config: ExporterConfig, env: NodeJS.ProcessEnv, warn: (message: string) => void): BridgeSettings {
  return {
    server: resolveServerSettings(config, env, warn),
    appendTimestamp: config.appendTimestamp === true,
    maxExponentialBuckets: resolveMaxExponentialBuckets(config),
    openMetricsCreatedLines: config.openMetricsCreatedLines ?? DEFAULT_OPENMETRICS_CREATED_LINES,
    ...resolveTranslationSettings(config),
  };
}

/** Settings from the config, then `OTEL_EXPORTER_PROMETHEUS_HOST`/`_PORT`, then defaults. */
function resolveServerSettings(config: ExporterConfig, env: NodeJS.ProcessEnv, warn: (message: string) => void): ServerSettings {
  // An empty host or endpoint means the default, as in the official exporter (not every interface, not `/`).
  const host = nonEmpty(config.host) ?? nonEmpty(env.OTEL_EXPORTER_PROMETHEUS_HOST) ?? DEFAULT_EXPORTER_HOST;
  // A port written as digits ('9464', as from process.env) works with the official exporter too.
  let port: number | undefined = typeof config.port === 'string' && /^\d+$/.test(config.port) ? Number(config.port) : config.port;
  if (port !== undefined && !isPort(port)) {
    throw new RangeError(`PrometheusExporter option port must be an integer from 0 to 65535 (0 picks a free port); got ${String(port)}.`);
  }
  const envPort = nonEmpty(env.OTEL_EXPORTER_PROMETHEUS_PORT);
  if (port === undefined && envPort !== undefined) {
    if (/^\d+$/.test(envPort) && isPort(Number(envPort))) port = Number(envPort);
    else warn(`OTEL_EXPORTER_PROMETHEUS_PORT must be a port number from 0 to 65535; got ${JSON.stringify(envPort)}, using ${DEFAULT_METRICS_PORT}.`);
  }
  const endpoint = nonEmpty(config.endpoint) ?? DEFAULT_METRICS_PATH;
  return {
    host,
    port: port ?? DEFAULT_METRICS_PORT,
    endpoint: endpoint.startsWith('/') ? endpoint : `/${endpoint}`,
    preventServerStart: config.preventServerStart === true,
  };
}

function resolveTranslationSettings(config: ExporterConfig): TranslationSettings {
  const compatibility = resolveCompatibility(config);
  const strategy = config.translationStrategy ?? DEFAULT_TRANSLATION_STRATEGY;
  if (!isTranslationStrategy(strategy)) {
    throw new TypeError(
      `PrometheusExporter option translationStrategy must be one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation; got ${JSON.stringify(strategy)}.`,
    );
  }
  return {
    translationStrategy: strategy,
    namespace: config.prefix ?? DEFAULT_NAMESPACE,
    labelNamePreserveMultipleUnderscores: resolveFlag('labelNamePreserveMultipleUnderscores', config.labelNamePreserveMultipleUnderscores, DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES),
    labelNameUnderscoreSanitization: resolveFlag('labelNameUnderscoreSanitization', config.labelNameUnderscoreSanitization, DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION),
    promoteResourceAttributes: [...(config.resourceAttributesAsLabels ?? [])],
    promoteResourceAttributesMatching: config.withResourceConstantLabels,
    // The official option names say what to leave out; the settings say what to write.
    scopeLabels: config.withoutScopeInfo === undefined ? DEFAULT_SCOPE_LABELS : config.withoutScopeInfo !== true,
    targetInfo: config.withoutTargetInfo === undefined ? DEFAULT_TARGET_INFO : config.withoutTargetInfo !== true,
    jobAndInstance: config.withJobAndInstance === true,
    compatibility,
  };
}

/** `compatibility`, checked: the official exporter's naming has no strategy and no label-name flags of its own to combine with. */
function resolveCompatibility(config: ExporterConfig): NamingCompatibility {
  const compatibility = config.compatibility ?? DEFAULT_NAMING_COMPATIBILITY;
  if (!isNamingCompatibility(compatibility)) {
    throw new TypeError(`PrometheusExporter option compatibility must be 'prometheus' or 'exporter-prometheus'; got ${JSON.stringify(compatibility)}.`);
  }
  if (compatibility === NamingCompatibility.ExporterPrometheus) {
    const combined = (['translationStrategy', 'labelNamePreserveMultipleUnderscores', 'labelNameUnderscoreSanitization'] as const).filter((name) => config[name] !== undefined);
    if (combined.length > 0) {
      throw new TypeError(
        `PrometheusExporter option compatibility 'exporter-prometheus' names series as @opentelemetry/exporter-prometheus does and cannot be combined with ${combined.join(', ')}; remove ${combined.length === 1 ? 'it' : 'them'}, or use compatibility 'prometheus'.`,
      );
    }
  }
  return compatibility;
}

/** A boolean option. */
function resolveFlag(name: string, value: boolean | undefined, fallback: boolean): boolean {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'boolean') throw new TypeError(`PrometheusExporter option ${name} must be true or false; got ${JSON.stringify(chosen)}.`);
  return chosen;
}

function resolveMaxExponentialBuckets(config: ExporterConfig): number {
  const max = config.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`PrometheusExporter option maxExponentialBuckets must be a whole number of at least 1; got ${String(max)}.`);
  }
  return max;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
