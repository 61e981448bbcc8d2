import type { InstrumentationScope } from '../otelData/otelData.ts';
import { formatAttributeValue } from './attributeValue.ts';
import { sanitizeLabelName, type LabelNaming } from './labelName.ts';

const SCOPE_NAME = 'otel_scope_name';
const SCOPE_VERSION = 'otel_scope_version';
const SCOPE_SCHEMA_URL = 'otel_scope_schema_url';

/** The three fixed scope labels; a scope attribute whose label name collides with one is dropped. */
const RESERVED_SCOPE_LABELS = new Set([SCOPE_NAME, SCOPE_VERSION, SCOPE_SCHEMA_URL]);

/**
 * The labels that identify the instrumentation scope on every series: `otel_scope_name`,
 * `otel_scope_version`, `otel_scope_schema_url` when set, and `otel_scope_<attr>` per scope attribute.
 */
export function buildScopeLabels(scope: InstrumentationScope, naming: LabelNaming): [string, string][] {
  const labels: [string, string][] = [];
  if (scope.name !== '') labels.push([SCOPE_NAME, scope.name]);
  if (scope.version) labels.push([SCOPE_VERSION, scope.version]);
  if (scope.schemaUrl) labels.push([SCOPE_SCHEMA_URL, scope.schemaUrl]);
  for (const [key, raw] of Object.entries(scope.attributes ?? {})) {
    const name = sanitizeLabelName(`otel_scope_${key}`, naming);
    const value = formatAttributeValue(raw);
    // Compared after sanitizing: `schema.url` collides with otel_scope_schema_url as `schema_url` does.
    if (name !== undefined && value !== '' && !RESERVED_SCOPE_LABELS.has(name)) labels.push([name, value]);
  }
  return labels;
}
