import { isLegacyLabelName, isLegacyMetricName } from '../../translate/labelName.ts';

/**
 * How names outside Prometheus' legacy character set reach a scraper, as it asks with the
 * `escaping` parameter of its `Accept` header (prometheus/common `model.EscapingScheme`):
 * `allow-utf-8` keeps UTF-8 names (Prometheus 3 asks for it), the others escape them.
 */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

export const ESCAPING_SCHEMES: readonly EscapingScheme[] = ['allow-utf-8', 'underscores', 'dots', 'values'];

/** What a scraper that names no (known) escaping gets: Prometheus 2, promtool and curl read only legacy names. */
export const DEFAULT_ESCAPING: EscapingScheme = 'underscores';

/** The scheme an `escaping` parameter names; the default for an absent or unknown one (as prometheus/common ignores it). */
export function toEscapingScheme(param: string | undefined): EscapingScheme {
  return ESCAPING_SCHEMES.find((scheme) => scheme === param) ?? DEFAULT_ESCAPING;
}

/**
 * A metric name as a scraper that asked for `scheme` reads it. As prometheus/common's
 * `EscapeMetricFamily` (its code, which differs from `EscapeName`'s docs for `dots`): a name already
 * valid as a legacy metric name is kept as it is under every scheme (so `a_b` is not `a__b` under
 * `dots`), any other is escaped by `escapeName`. Label names: `escapeLabelNameFor`.
 */
export function escapeNameFor(name: string, scheme: EscapingScheme): string {
  if (scheme === 'allow-utf-8' || isLegacyMetricName(name)) return name;
  return escapeName(name, scheme);
}

/**
 * A label name as a scraper that asked for `scheme` reads it: kept when it is a legacy label name,
 * else escaped as `escapeName` escapes, a colon counted among the characters to escape. Unlike
 * prometheus/common, which keeps a label name that is a legacy *metric* name (`a:b`): Prometheus 2's
 * and promtool's parsers refuse a colon in a label name, and the whole scrape with it.
 */
export function escapeLabelNameFor(name: string, scheme: EscapingScheme): string {
  if (scheme === 'allow-utf-8' || isLegacyLabelName(name)) return name;
  return escapeCharacters(name, scheme, isLegacyLabelCharacter);
}

/**
 * prometheus/common's `EscapeName`, character by character (code points, as Go ranges over a
 * string; a lone surrogate is what Go reads from its UTF-8 form, U+FFFD):
 * - `underscores`: each character outside `[a-zA-Z0-9_:]` (a digit first too) becomes `_`;
 * - `dots`: `_` → `__`, `.` → `_dot_`, any other character outside the set → `__` (legacy names too);
 * - `values`: `U__`, then `_` → `__`, others outside the set → `_<hex code point>_`;
 * - `allow-utf-8`: unchanged.
 */
export function escapeName(name: string, scheme: EscapingScheme): string {
  if (name === '' || scheme === 'allow-utf-8') return name;
  if (scheme !== 'dots' && isLegacyMetricName(name)) return name;
  return escapeCharacters(name, scheme, isLegacyCharacter);
}

/** Whether a character may stand where it is (`first` or not) in a legacy name. */
type LegacyCharacterTest = (char: string, first: boolean) => boolean;

function escapeCharacters(name: string, scheme: Exclude<EscapingScheme, 'allow-utf-8'>, isLegacy: LegacyCharacterTest): string {
  let out = scheme === 'values' ? 'U__' : '';
  let first = true;
  for (const char of name) {
    const valid = isLegacy(char, first);
    first = false;
    switch (scheme) {
      case 'underscores':
        out += valid ? char : '_';
        break;
      case 'dots':
        out += char === '_' ? '__' : char === '.' ? '_dot_' : valid ? char : '__';
        break;
      case 'values':
        out += char === '_' ? '__' : valid ? char : `_${codePointOf(char).toString(16)}_`;
        break;
    }
  }
  return out;
}

/** `[a-zA-Z_:]`, and digits after the first character: prometheus/common's `isValidLegacyRune`. */
function isLegacyCharacter(char: string, first: boolean): boolean {
  return char === ':' || isLegacyLabelCharacter(char, first);
}

/** `[a-zA-Z_]`, and digits after the first character. */
function isLegacyLabelCharacter(char: string, first: boolean): boolean {
  if (char.length !== 1) return false;
  const c = char.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (!first && c >= 48 && c <= 57);
}

/** The code point Go reads: a lone surrogate (not UTF-8 encodable) is U+FFFD. */
function codePointOf(char: string): number {
  const point = char.codePointAt(0)!;
  return point >= 0xd800 && point <= 0xdfff ? 0xfffd : point;
}
