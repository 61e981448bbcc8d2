import type { AttributeValue } from '../otelData/otelData.ts';

/**
 * An attribute value as label text: strings as they are, numbers as decimal text, booleans as
 * `true`/`false`, arrays and maps as JSON (the OpenTelemetry non-string attribute rule).
 */
export function formatAttributeValue(value: AttributeValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return JSON.stringify(value, jsonReplacer) ?? '';
    default:
      return '';
  }
}

function formatNumber(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** Map keys sorted (as Go's encoding/json does), so one map is one label value whatever its key order. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }
  return value;
}
