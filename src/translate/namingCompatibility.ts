/**
 * Whose naming the Prometheus output follows: Prometheus' own OTLP rules (the default, see
 * `TranslationStrategy`), or the output of `@opentelemetry/exporter-prometheus`, for a move from
 * the official exporter that keeps every dashboard's series names and labels as they were.
 */
export const NamingCompatibility = {
  /** Prometheus' naming (its otlptranslator): unit and type suffixes, `_ratio`, Prometheus' label rules. The default. */
  Prometheus: 'prometheus',
  /**
   * As `@opentelemetry/exporter-prometheus` writes the same data: no unit suffixes and no `_ratio`,
   * `_total` on monotonic sums, its name and label sanitizing (every invalid character `_`, runs
   * of `_` collapsed), its scope labels (no scope attributes) and its HELP fallback.
   */
  ExporterPrometheus: 'exporter-prometheus',
} as const;

export type NamingCompatibility = (typeof NamingCompatibility)[keyof typeof NamingCompatibility];

export const DEFAULT_NAMING_COMPATIBILITY: NamingCompatibility = NamingCompatibility.Prometheus;

export function isNamingCompatibility(value: unknown): value is NamingCompatibility {
  return typeof value === 'string' && Object.values<string>(NamingCompatibility).includes(value);
}
