import { sanitizeExporterPrometheusLabelName } from './exporterPrometheusNames.ts';
import { NamingCompatibility } from './namingCompatibility.ts';

/**
 * How attribute keys become label names: the strategy's escaping and Prometheus' two `otlp`
 * settings of the same names (`label_name_preserve_multiple_underscores`,
 * `label_name_underscore_sanitization`).
 */
export interface LabelNaming {
  /** Escape keys to the legacy character set (the `UnderscoreEscaping*` strategies); false keeps UTF-8 keys as they are. */
  readonly escape: boolean;
  /**
   * Keep runs of `_` when escaping (`label__x` stays, `a..b` → `a__b`); false collapses them to
   * one and keeps `__x__` keys' double underscores only at their ends. @default true (as Prometheus)
   */
  readonly preserveMultipleUnderscores?: boolean;
  /** Put `key` before a name starting with a single `_` when escaping (`_foo` → `key_foo`). @default true (as Prometheus) */
  readonly underscoreSanitization?: boolean;
  /** `exporter-prometheus`: the official exporter's rule instead (see `sanitizeExporterPrometheusLabelName`); the two flags above are not used. @default 'prometheus' */
  readonly compatibility?: NamingCompatibility;
}

/** Already a label name under every setting: no leading digit or `_`, no runs of `_`, no trailing `_`. */
const PLAIN_LABEL_NAME = /^[a-zA-Z][a-zA-Z0-9]*(?:_[a-zA-Z0-9]+)*$/;

/**
 * An attribute key as a Prometheus label name, as Prometheus' otlptranslator `LabelNamer` does.
 * Escaping: every character outside `[a-zA-Z0-9_]` becomes `_` (one per character), runs of `_`
 * kept or collapsed by `preserveMultipleUnderscores`; a name starting with a digit gets `key_`, one
 * starting with a single `_` gets `key` (with `underscoreSanitization`); `__x` keeps its two.
 *
 * Returns undefined for a key that cannot be a label name: the empty key, and one that is (or
 * escapes to) nothing but underscores (`__`, `ようこそ` → `____`). Prometheus refuses such points.
 */
export function sanitizeLabelName(key: string, naming: LabelNaming): string | undefined {
  if (key === '') return undefined;
  if (naming.compatibility === NamingCompatibility.ExporterPrometheus) return sanitizeExporterPrometheusLabelName(key);
  if (!naming.escape) return isOnlyUnderscores(key) ? undefined : key;
  if (PLAIN_LABEL_NAME.test(key)) return key; // the common case

  let name: string;
  if (naming.preserveMultipleUnderscores ?? true) {
    name = key.replace(/[^a-zA-Z0-9_]/gu, '_');
  } else {
    // `__x__` keys keep their double underscores at both ends; everything else collapses.
    const reserved = key.length >= 4 && key.startsWith('__') && key.endsWith('__');
    name = (reserved ? key.slice(2, -2) : key).replace(/[^a-zA-Z0-9]+/gu, '_');
    if (reserved) name = `__${name}__`;
  }

  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if ((naming.underscoreSanitization ?? true) && name.startsWith('_') && !name.startsWith('__')) name = `key${name}`;
  return isOnlyUnderscores(name) ? undefined : name;
}

function isOnlyUnderscores(name: string): boolean {
  return /^_+$/.test(name);
}

/** Whether a label or metric name needs quoting in the exposition (UTF-8 names, Prometheus 3). */
export function isLegacyLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

export function isLegacyMetricName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name);
}
