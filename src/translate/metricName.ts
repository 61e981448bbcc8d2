import { buildUnitSuffixes, cleanUpUnitSuffix } from './unitSuffix.ts';
import { addsSuffixes, escapesNames, type TranslationStrategy } from './translationStrategy.ts';

/** What naming needs to know of a metric's kind. */
export type NamingKind = 'counter' | 'gauge' | 'other';

export interface MetricNameInput {
  readonly name: string;
  readonly unit: string;
  /** `counter` for monotonic sums (adds `_total`), `gauge` for OTel gauges (unit `1` adds `_ratio`). */
  readonly kind: NamingKind;
}

export interface MetricNamingOptions {
  readonly strategy: TranslationStrategy;
  readonly namespace?: string;
}

/** Splits on every character outside `[a-zA-Z0-9:]`; this also drops `_` runs and trims them. */
function splitWords(name: string): string[] {
  return name.split(/[^a-zA-Z0-9:]+/).filter((word) => word !== '');
}

/**
 * Characters outside `[a-zA-Z0-9_:]` become `_` (a run of them one `_`, none at the ends), and
 * underscores already there are kept: `metric_with_字符_foreign` → `metric_with___foreign`.
 */
function escapeKeepingUnderscores(name: string): string {
  return name
    .split(/[^a-zA-Z0-9:_]+/u)
    .filter((part) => part !== '')
    .join('_');
}

/**
 * Builds the Prometheus metric name for an OpenTelemetry metric, as Prometheus' otlptranslator does:
 * `http.server.request.duration` + `s` → `http_server_request_duration_seconds`,
 * a monotonic sum `requests` + `{request}` → `requests_total`.
 *
 * Returns undefined when the name has nothing left after sanitizing (the caller drops and counts it).
 */
export function buildMetricName(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  if (!escapesNames(options.strategy)) return buildUtf8Name(metric, options);
  return addsSuffixes(options.strategy) ? buildSuffixedName(metric, options) : buildUnsuffixedName(metric, options);
}

/** `UnderscoreEscapingWithSuffixes`: the name split into words (runs of `_` collapse), unit and type suffixes added. */
function buildSuffixedName(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  let words = splitWords(metric.name);
  if (words.length === 0) return undefined;
  const counter = metric.kind === 'counter';
  const suffixes = buildUnitSuffixes(metric.unit);
  words = addUnitWords(words, cleanUpUnitSuffix(suffixes.main), cleanUpUnitSuffix(suffixes.per), counter);
  // `total` and `ratio` go last, wherever the name had them.
  if (counter) words = [...words.filter((word) => word !== 'total'), 'total'];
  if (metric.kind === 'gauge' && metric.unit === '1') words = [...words.filter((word) => word !== 'ratio'), 'ratio'];
  return prefixDigit([...namespaceWords(options), ...words].join('_'));
}

/**
 * `UnderscoreEscapingWithoutSuffixes`: only characters outside the set are replaced; underscores
 * and runs of them stay (`envoy__rule` stays). A name of underscores only is kept as it was given
 * (`___`), not when escaping made it so (`@_#` → `___`).
 */
function buildUnsuffixedName(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  const name = escapeKeepingUnderscores(metric.name);
  if (name === '' || (/^_+$/.test(name) && name !== metric.name)) return undefined;
  const namespace = options.namespace === undefined ? '' : escapeKeepingUnderscores(options.namespace);
  return prefixDigit(namespace === '' ? name : `${namespace}_${name}`);
}

/** The namespace as words of the name (itself sanitized); none when unset. */
function namespaceWords(options: MetricNamingOptions): string[] {
  return options.namespace === undefined ? [] : splitWords(options.namespace);
}

/** A Prometheus name cannot start with a digit: `123metric` → `_123metric`. */
function prefixDigit(name: string): string {
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The unit words after the name's, as Prometheus' otlptranslator adds them: `main` unless it is a
 * word of the name already, then `per` (`per_second`) unless only `per_` is left of it (a per unit
 * that cleans to nothing: `km/°` adds `km` alone). The bridge also leaves out a suffix of several
 * words the name already ends with (before a counter's `total`): `network_bytes_per_second` +
 * `By/s` stays, where Prometheus would repeat `per_second` (MAPPING.md, Metric names 3).
 */
function addUnitWords(words: readonly string[], main: string, per: string, counter: boolean): string[] {
  let mainWord = hasSuffix(words, main, counter) ? '' : main;
  let perWord = per === 'per_' ? '' : per.endsWith('_') ? per.slice(0, -1) : per;
  if (hasSuffix(words, perWord, counter)) perWord = '';
  if (perWord !== '' && mainWord.endsWith('_')) mainWord = mainWord.slice(0, -1);
  const added = [...words];
  if (mainWord !== '') added.push(mainWord);
  if (perWord !== '') added.push(perWord);
  return added;
}

function hasSuffix(words: readonly string[], suffix: string, counter: boolean): boolean {
  if (suffix === '' || words.includes(suffix)) return true;
  if (!suffix.includes('_')) return false;
  const name = (counter ? words.filter((word) => word !== 'total') : words).join('_');
  return name === suffix || name.endsWith(`_${suffix}`);
}

/** For the UTF-8 strategies: the name kept as it is, suffixes appended where the strategy wants them. */
function buildUtf8Name(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  if (metric.name === '') return undefined; // `___` is a valid UTF-8 name
  let name = options.namespace ? `${options.namespace}_${metric.name}` : metric.name;
  if (!addsSuffixes(options.strategy)) return name;

  const trailing: string[] = [];
  if (metric.kind === 'gauge' && metric.unit === '1') {
    name = trimSuffix(name, 'ratio');
    trailing.unshift('ratio');
  }
  if (metric.kind === 'counter') {
    name = trimSuffix(name, 'total');
    trailing.unshift('total');
  }
  const { main, per } = buildUnitSuffixes(metric.unit);
  if (per !== '') {
    name = trimSuffix(name, per);
    trailing.unshift(per);
  }
  if (main !== '' && !name.endsWith(main)) name = `${name}_${main}`;
  return [name, ...trailing].join('_');
}

function trimSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length + 1 ? name.slice(0, -(suffix.length + 1)) : name;
}
