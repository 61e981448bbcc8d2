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
function tokenize(name: string): string[] {
  return name.split(/[^a-zA-Z0-9:]+/).filter((token) => token !== '');
}

/**
 * Builds the Prometheus metric name for an OpenTelemetry metric, as Prometheus' otlptranslator does:
 * `http.server.request.duration` + `s` → `http_server_request_duration_seconds`,
 * a monotonic sum `requests` + `{request}` → `requests_total`.
 *
 * Returns undefined when the name has nothing left after sanitizing (the caller drops and counts it).
 */
export function buildMetricName(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  if (escapesNames(options.strategy)) return buildEscapedName(metric, options);
  return buildUtf8Name(metric, options);
}

function buildEscapedName(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  let tokens = tokenize(metric.name);
  if (tokens.length === 0) return undefined;
  const namespaceTokens = options.namespace === undefined ? [] : tokenize(options.namespace);

  if (addsSuffixes(options.strategy)) {
    const suffixes = buildUnitSuffixes(metric.unit);
    let main = cleanUpUnitSuffix(suffixes.main);
    const per = cleanUpUnitSuffix(suffixes.per);
    // `total` goes last, so the unit is looked for at the end of the name without it.
    if (metric.kind === 'counter') tokens = tokens.filter((token) => token !== 'total');
    // A suffix already in the name, as one of its words or at its end, is not added again.
    if (containsSuffix(tokens, main)) main = '';
    if (main !== '') tokens.push(main);
    if (per !== '' && !containsSuffix(tokens, per)) tokens.push(per);
    if (metric.kind === 'counter') tokens.push('total');
    if (metric.kind === 'gauge' && metric.unit === '1') tokens = [...tokens.filter((token) => token !== 'ratio'), 'ratio'];
  }

  const name = [...namespaceTokens, ...tokens].join('_');
  // A Prometheus name cannot start with a digit.
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** For the UTF-8 strategies: the name kept as it is, suffixes appended where the strategy wants them. */
function buildUtf8Name(metric: MetricNameInput, options: MetricNamingOptions): string | undefined {
  if (metric.name === '' || /^_*$/.test(metric.name)) return undefined;
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

function containsSuffix(tokens: readonly string[], suffix: string): boolean {
  if (suffix === '' || tokens.includes(suffix)) return true;
  const joined = tokens.join('_');
  return joined === suffix || joined.endsWith(`_${suffix}`);
}

function trimSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length + 1 ? name.slice(0, -(suffix.length + 1)) : name;
}
