import type { InstrumentationScope, OtelMetric } from '../otelData/otelData.ts';
import type { FamilyHelp } from './familyHelp.ts';

/**
 * The naming rules of `@opentelemetry/exporter-prometheus` (its `PrometheusSerializer`, 0.301),
 * for `compatibility: 'exporter-prometheus'`: what a dashboard built on the official exporter
 * queries. Where the official output is invalid, the bridge writes a valid one instead (see each
 * function); README.md, "Migrating from @opentelemetry/exporter-prometheus", lists the differences.
 */

/** The official exporter's HELP for a metric without a description. */
export const EXPORTER_PROMETHEUS_MISSING_HELP = 'description missing';

/** Its `sanitizePrometheusMetricName`, used for metric names and attribute keys alike: every character outside `[a-zA-Z0-9_]` (`:` too) becomes `_`, then runs of `_` become one. */
function sanitizeName(name: string): string {
  return name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
}

/**
 * A metric's name as the official exporter writes it: `\` and newline escaped first (a newline
 * becomes `_n`, as there), sanitized, the prefix put before it as `<prefix>_`, `_` before a leading
 * digit, and `_total` after a monotonic sum's name unless it ends with it already. No unit suffix,
 * no `_ratio`: `http.server.request.duration` (unit `s`) → `http_server_request_duration`.
 *
 * Returns undefined where the official exporter drops the metric: nothing, or only `_`, left.
 * Unlike the official exporter, the prefix has its invalid characters replaced (`my-app` →
 * `my_app`), where the official one writes an invalid name; a valid prefix stays as given.
 */
export function buildExporterPrometheusMetricName(name: string, monotonicSum: boolean, prefix: string | undefined): string | undefined {
  let built = sanitizeName(name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n'));
  if (prefix !== undefined && prefix !== '') built = `${prefix.replace(/[^a-zA-Z0-9_:]/g, '_')}_${built}`;
  if (built === '' || built === '_') return undefined;
  if (/^[0-9]/.test(built)) built = `_${built}`;
  return monotonicSum && !built.endsWith('_total') ? `${built}_total` : built;
}

/**
 * An attribute key as the official exporter makes it a label name: the metric-name rule (runs of
 * `_` collapse: `a..b` and `a__b` → `a_b`; a leading `_` stays). A key left starting with a digit,
 * which the official exporter writes as it is (an invalid label name, which fails the whole
 * scrape), gets `key_` before it as in Prometheus' naming; undefined for the empty key.
 */
export function sanitizeExporterPrometheusLabelName(key: string): string | undefined {
  const name = sanitizeName(key);
  if (name === '') return undefined;
  return /^[0-9]/.test(name) ? `key_${name}` : name;
}

/**
 * The official exporter's scope labels: `otel_scope_name`, `otel_scope_schema_url` and
 * `otel_scope_version` when set; scope attributes are not written.
 */
export function buildExporterPrometheusScopeLabels(scope: InstrumentationScope): [string, string][] {
  const labels: [string, string][] = [];
  if (scope.name !== '') labels.push(['otel_scope_name', scope.name]);
  if (scope.schemaUrl) labels.push(['otel_scope_schema_url', scope.schemaUrl]);
  if (scope.version) labels.push(['otel_scope_version', scope.version]);
  return labels;
}

/** HELP: the description, or the official exporter's `description missing` (a later description replaces it). */
export function buildExporterPrometheusHelp(metric: Pick<OtelMetric, 'description'>): FamilyHelp {
  return metric.description !== '' ? { text: metric.description, fallback: false } : { text: EXPORTER_PROMETHEUS_MISSING_HELP, fallback: true };
}
