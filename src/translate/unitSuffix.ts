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

/** Replaces characters outside `[a-zA-Z0-9:]` with `_`, collapses runs and trims them at the ends. */
export function cleanUpUnitSuffix(suffix: string): string {
  return suffix.replace(/[^a-zA-Z0-9:]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The unit word written in OpenMetrics' `# UNIT` line (`seconds`, `bytes_per_second`, `ratio`);
 * '' when the unit adds no suffix. It is always a suffix of the metric's family name.
 */
export function buildUnitName(unit: string, isRatio: boolean): string {
  if (isRatio) return 'ratio';
  const { main, per } = buildUnitSuffixes(unit);
  const cleanMain = cleanUpUnitSuffix(main);
  const cleanPer = cleanUpUnitSuffix(per);
  if (cleanMain !== '' && cleanPer !== '') return `${cleanMain}_${cleanPer}`;
  return cleanMain !== '' ? cleanMain : cleanPer;
}
