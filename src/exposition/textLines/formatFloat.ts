/**
 * Writes a float as Prometheus' Go clients do (`strconv.FormatFloat(v, 'g', -1, 64)`): the
 * shortest text that reads back to the same double, exponent notation outside [1e-4, 1e6),
 * `NaN`, `+Inf`, `-Inf`. Used for sample values and for `le`/`quantile` labels, so that a
 * bucket's `le` is the same string in both formats.
 */
export function formatFloat(value: number): string {
  if (Number.isInteger(value) && value > -1e6 && value < 1e6) return Object.is(value, -0) ? '-0' : String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(value);
  // toExponential() without an argument gives the shortest round-trip digits: "1.5e+21".
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const sign = exponent[0] === '-' ? '-' : '+';
  const digits = exponent.slice(1).padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}
