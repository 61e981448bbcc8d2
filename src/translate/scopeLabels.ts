import type { InstrumentationScope } from '../model/otelData.ts';
import { formatAttributeValue } from './attributeValue.ts';
import { sanitizeLabelName } from './labelName.ts';

const SCOPE_NAME = 'otel_scope_name';
const SCOPE_VERSION = 'otel_scope_version';
const SCOPE_SCHEMA_URL = 'otel_scope_schema_url';

/** Scope attribute keys that would collide with the three fixed scope labels; they are dropped. */
const RESERVED_SCOPE_KEYS = new Set(['name', 'version', 'schema_url']);

/**
 * The labels that identify the instrumentation scope on every series: `otel_scope_name`,
 * `otel_scope_version`, `otel_scope_schema_url` when set, and `otel_scope_<attr>` per scope attribute.
 */
export function buildScopeLabels(scope: InstrumentationScope, escape: boolean): [string, string][] {
  const labels: [string, string][] = [];
  if (scope.name !== '') labels.push([SCOPE_NAME, scope.name]);
  if (scope.version) labels.push([SCOPE_VERSION, scope.version]);
  if (scope.schemaUrl) labels.push([SCOPE_SCHEMA_URL, scope.schemaUrl]);
  for (const [key, raw] of Object.entries(scope.attributes ?? {})) {
    if (RESERVED_SCOPE_KEYS.has(key)) continue;
    const name = sanitizeLabelName(`otel_scope_${key}`, escape);
    const value = formatAttributeValue(raw);
    if (name !== undefined && value !== '') labels.push([name, value]);
  }
  return labels;
}
