/**
 * How OpenTelemetry names become Prometheus names; the same four strategies as Prometheus'
 * `otlp.translation_strategy` and the OpenTelemetry Collector.
 */
export const TranslationStrategy = {
  /** Invalid characters become `_`; unit and type suffixes are added. The default. */
  UnderscoreEscapingWithSuffixes: 'UnderscoreEscapingWithSuffixes',
  /** Invalid characters become `_`; no suffixes. */
  UnderscoreEscapingWithoutSuffixes: 'UnderscoreEscapingWithoutSuffixes',
  /** UTF-8 names kept as they are (for scrapers that negotiate it); suffixes added. */
  NoUTF8EscapingWithSuffixes: 'NoUTF8EscapingWithSuffixes',
  /** Names kept exactly as they are; no suffixes. */
  NoTranslation: 'NoTranslation',
} as const;

export type TranslationStrategy = (typeof TranslationStrategy)[keyof typeof TranslationStrategy];

export const DEFAULT_TRANSLATION_STRATEGY: TranslationStrategy = TranslationStrategy.UnderscoreEscapingWithSuffixes;

export function isTranslationStrategy(value: unknown): value is TranslationStrategy {
  return typeof value === 'string' && Object.values<string>(TranslationStrategy).includes(value);
}

/** Whether names are escaped to the legacy Prometheus character set. */
export function escapesNames(strategy: TranslationStrategy): boolean {
  return (
    strategy === TranslationStrategy.UnderscoreEscapingWithSuffixes ||
    strategy === TranslationStrategy.UnderscoreEscapingWithoutSuffixes
  );
}

/** Whether unit and type suffixes (`_seconds`, `_total`, `_ratio`) are added. */
export function addsSuffixes(strategy: TranslationStrategy): boolean {
  return (
    strategy === TranslationStrategy.UnderscoreEscapingWithSuffixes ||
    strategy === TranslationStrategy.NoUTF8EscapingWithSuffixes
  );
}
