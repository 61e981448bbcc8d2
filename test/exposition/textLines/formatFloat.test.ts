import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat } from '../../../src/exposition/textLines/formatFloat.ts';

/**
 * Expected strings are what Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes (Prometheus' text
 * format and `le`/`quantile` labels): the shortest round-trip digits, exponent notation when the
 * decimal exponent is below -4 or at least 6, an exponent of at least two digits with its sign, and
 * `NaN`, `+Inf`, `-Inf`.
 */
const rows: readonly { rule: string; value: number; want: string }[] = [
  { rule: 'an integer', value: 1, want: '1' },
  { rule: 'zero', value: 0, want: '0' },
  { rule: 'negative zero', value: -0, want: '-0' },
  { rule: 'a small decimal', value: 0.005, want: '0.005' },
  { rule: 'a decimal', value: 2.5, want: '2.5' },
  { rule: 'a negative decimal', value: -2.5, want: '-2.5' },
  { rule: 'the shortest round-trip digits', value: 0.1 + 0.2, want: '0.30000000000000004' },
  { rule: 'a repeating fraction', value: 1 / 3, want: '0.3333333333333333' },
  { rule: '100000 is below the exponent cut-off', value: 100000, want: '100000' },
  { rule: '999999 is below the exponent cut-off', value: 999999, want: '999999' },
  { rule: 'a fraction below 1e6', value: 123456.7, want: '123456.7' },
  { rule: '1e6 has exponent 6: 1e+06', value: 1e6, want: '1e+06' },
  { rule: 'a negative million', value: -1e6, want: '-1e+06' },
  { rule: 'an integer above 1e6 with digits', value: 1234567, want: '1.234567e+06' },
  { rule: 'a fraction above 1e6', value: 12345678.9, want: '1.23456789e+07' },
  { rule: '2^53', value: 2 ** 53, want: '9.007199254740992e+15' },
  { rule: 'a large power of ten: 1e+21', value: 1e21, want: '1e+21' },
  { rule: 'a three-digit exponent', value: 1e100, want: '1e+100' },
  { rule: 'the largest double', value: Number.MAX_VALUE, want: '1.7976931348623157e+308' },
  { rule: '0.0001 has exponent -4: not exponent notation', value: 0.0001, want: '0.0001' },
  { rule: '0.00001 has exponent -5: 1e-05', value: 0.00001, want: '1e-05' },
  { rule: '1.5e-05', value: 1.5e-5, want: '1.5e-05' },
  { rule: 'a negative small value', value: -1.5e-5, want: '-1.5e-05' },
  { rule: 'the smallest denormal', value: 5e-324, want: '5e-324' },
  { rule: 'NaN', value: NaN, want: 'NaN' },
  { rule: '+Inf', value: Infinity, want: '+Inf' },
  { rule: '-Inf', value: -Infinity, want: '-Inf' },
];

describe('formatFloat: "written as Prometheus writes floats (1, 0.005, +Inf)"', () => {
  for (const { rule, value, want } of rows) {
    it(`${rule}: ${want}`, () => {
      assert.equal(formatFloat(value), want);
    });
  }

  it('every finite result reads back to the same double', () => {
    for (const { value } of rows) {
      if (Number.isFinite(value)) assert.ok(Object.is(Number(formatFloat(value)), value), `${value}`);
    }
  });
});
