/**
 * Attribute keys as Prometheus label names, following Prometheus' otlptranslator:
 * invalid characters become `_` (runs collapsed), a leading digit gets `key_`, a single leading
 * underscore gets `key`; reserved `__name__`-style keys keep their double underscores.
 *
 * Returns undefined for a key that is empty or nothing but underscores (dropped and counted).
 */
export function sanitizeLabelName(key: string, escape: boolean): string | undefined {
  if (key === '' || /^_+$/.test(key)) return undefined;
  if (!escape) return key;
  if (/^[a-zA-Z][a-zA-Z0-9]*(?:_[a-zA-Z0-9]+)*$/.test(key)) return key; // already valid: the common case

  const reserved = key.length >= 4 && key.startsWith('__') && key.endsWith('__');
  const inner = reserved ? key.slice(2, -2) : key;
  let name = inner.replace(/[^a-zA-Z0-9]+/g, '_');
  if (reserved) name = `__${name}__`;

  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if (name.startsWith('_') && !name.startsWith('__')) name = `key${name}`;
  return /^_+$/.test(name) ? undefined : name;
}

/** Whether a label or metric name needs quoting in the exposition (UTF-8 names, Prometheus 3). */
export function isLegacyLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

export function isLegacyMetricName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name);
}
