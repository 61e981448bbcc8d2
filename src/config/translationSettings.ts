/**
 * How OpenTelemetry data becomes Prometheus families, as both surfaces resolve it: the sidecar from
 * its schema (and the Sidecar's options), the in-process exporters from the official exporter's
 * option names. Positive names, defaults filled in, already checked.
 */
import type { TranslationSettings as StoreTranslation } from '../translate/metricTranslator.ts';
import type { TranslationStrategy } from '../translate/translationStrategy.ts';
import type { NamingCompatibility } from '../translate/namingCompatibility.ts';

export interface TranslationSettings {
  readonly translationStrategy: TranslationStrategy;
  /** Prefix for every metric name (`otel` gives `otel_http_server_requests_total`), '' for none. */
  readonly namespace: string;
  /** Runs of `_` in attribute keys kept when escaping (Prometheus' `label_name_preserve_multiple_underscores`). */
  readonly labelNamePreserveMultipleUnderscores: boolean;
  /** `_foo` → `key_foo` when escaping (Prometheus' `label_name_underscore_sanitization`). */
  readonly labelNameUnderscoreSanitization: boolean;
  /** Resource attributes copied onto every series, by exact key. */
  readonly promoteResourceAttributes: readonly string[];
  /** Resource attributes copied onto every series, by a pattern their key matches (the exporter's `withResourceConstantLabels`). */
  readonly promoteResourceAttributesMatching: RegExp | undefined;
  /** The `otel_scope_*` labels. */
  readonly scopeLabels: boolean;
  /** A `target_info` series per resource. */
  readonly targetInfo: boolean;
  /** `job`/`instance` from the resource's `service.*` attributes on every series (always, in the sidecar). */
  readonly jobAndInstance: boolean;
  /** Whose naming: Prometheus' (the default) or `@opentelemetry/exporter-prometheus`'s (in-process only). */
  readonly compatibility?: NamingCompatibility;
}

/**
 * The settings as the series store takes them: the same names; only the promoted attributes change
 * shape (keys and pattern in one rule, none at all when nothing is promoted).
 */
export function toStoreTranslation(settings: TranslationSettings): StoreTranslation {
  const keys = settings.promoteResourceAttributes;
  const pattern = settings.promoteResourceAttributesMatching;
  return {
    translationStrategy: settings.translationStrategy,
    namespace: settings.namespace,
    scopeLabels: settings.scopeLabels,
    targetInfo: settings.targetInfo,
    jobAndInstance: settings.jobAndInstance,
    // Nothing to promote: the store skips the resource's attributes altogether.
    promoteResourceAttributes: keys.length === 0 && pattern === undefined ? undefined : { keys, ...(pattern === undefined ? {} : { pattern }) },
    labelNamePreserveMultipleUnderscores: settings.labelNamePreserveMultipleUnderscores,
    labelNameUnderscoreSanitization: settings.labelNameUnderscoreSanitization,
    ...(settings.compatibility === undefined ? {} : { compatibility: settings.compatibility }),
  };
}
