/**
 * UCUM units as Prometheus name suffixes, following Prometheus' otlptranslator.
 */

const MAIN_UNITS: Readonly<Record<string, string>> = {
  // time
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  // bytes
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  kBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  // other SI
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
  // dimensionless: nothing, except `_ratio` on gauges (see buildMetricName)
  '1': '',
};

const PER_UNITS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

export interface UnitSuffixes {
  /** `seconds`, `bytes`, or the sanitized unknown unit; '' for none. */
  readonly main: string;
  /** `per_second` etc.; '' for none. */
  readonly per: string;
}

const NONE: UnitSuffixes = { main: '', per: '' };

/** Splits a UCUM unit like `By/s` into `{ main: 'bytes', per: 'per_second' }`, dropping `{annotations}`. */
export function buildUnitSuffixes(unit: string): UnitSuffixes {
  if (unit === '') return NONE;
  const slash = unit.indexOf('/');
  const mainUnit = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const main = mainUnit !== '' && !/[{}]/.test(mainUnit) ? (MAIN_UNITS[mainUnit] ?? mainUnit) : '';
  const perWord = perUnit !== '' && !/[{}]/.test(perUnit) ? (PER_UNITS[perUnit] ?? perUnit) : '';
  return { main, per: perWord === '' ? '' : `per_${perWord}` };
}

/**
 * As Prometheus' otlptranslator cleans a unit word: characters outside `[a-zA-Z0-9:]` become `_`,
 * runs of `_` collapse, a leading `_` goes; a trailing one stays (`per_°` → `per_`, which adds
 * nothing; see `buildMetricName`).
 */
export function cleanUpUnitSuffix(suffix: string): string {
  return suffix.replace(/[^a-zA-Z0-9:]/gu, '_').replace(/_+/g, '_').replace(/^_/, '');
}

/**
 * The unit word written in OpenMetrics' `# UNIT` line (`seconds`, `bytes_per_second`, `ratio`),
 * as Prometheus' otlptranslator `UnitNamer` gives it (no `_` at either end); '' when the unit adds
 * no suffix. The exposition writes it only where the family name ends with it.
 */
export function buildUnitName(unit: string, isRatio: boolean): string {
  if (isRatio) return 'ratio';
  const { main, per } = buildUnitSuffixes(unit);
  const cleanMain = cleanUpUnitSuffix(main);
  const cleanPer = cleanUpUnitSuffix(per);
  const joined = cleanMain !== '' && cleanPer !== '' ? `${cleanMain}_${cleanPer}` : cleanMain !== '' ? cleanMain : cleanPer;
  return joined.replace(/^_/, '').replace(/_$/, '');
}
