import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasDefaultBucketsInSeconds, SDK_DEFAULT_BOUNDARIES } from '../../src/translate/defaultBucketsInSeconds.ts';

/** Per-bucket counts over the default boundaries (16 buckets): `first` in (0, 5], `later` in (5, 10]. */
function defaultCounts(first: number, later = 0): number[] {
  const counts = new Array<number>(SDK_DEFAULT_BOUNDARIES.length + 1).fill(0);
  counts[1] = first;
  counts[2] = later;
  return counts;
}

const rows: readonly { rule: string; unit: string; bounds: readonly number[]; counts: readonly number[]; want: boolean }[] = [
  { rule: 'unit s, the default boundaries, every observation in (0, 5]', unit: 's', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(20), want: true },
  { rule: 'unit s, the default boundaries, 90 % at or below 5 s (p90 pinned)', unit: 's', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(9, 1), want: true },
  { rule: 'unit s, the default boundaries, observations of 0 count too (le="0")', unit: 's', bounds: SDK_DEFAULT_BOUNDARIES, counts: [5, ...defaultCounts(0).slice(1)], want: true },
  { rule: 'unit ms with the default boundaries: what they are meant for', unit: 'ms', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(20), want: false },
  { rule: 'unit s with explicit advice in seconds', unit: 's', bounds: [0.005, 0.01, 0.1, 1, 5], counts: [1, 2, 3, 4, 5, 0], want: false },
  { rule: 'unit s with advice that only starts like the default', unit: 's', bounds: [0, 5, 10], counts: [0, 4, 0, 0], want: false },
  { rule: 'unit s, the default boundaries, observations spread over them (a batch job in seconds)', unit: 's', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(5, 5), want: false },
  { rule: 'unit s, the default boundaries, no observation yet', unit: 's', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(0), want: false },
  { rule: 'no unit with the default boundaries', unit: '', bounds: SDK_DEFAULT_BOUNDARIES, counts: defaultCounts(20), want: false },
];

describe('hasDefaultBucketsInSeconds: the SDK default (millisecond) boundaries on a histogram in seconds', () => {
  for (const { rule, unit, bounds, counts, want } of rows) {
    it(`${rule} → ${want ? 'flagged' : 'not flagged'}`, () => {
      const count = counts.reduce((a, b) => a + b, 0);
      assert.equal(hasDefaultBucketsInSeconds({ unit }, { bounds, counts, count }), want);
    });
  }
});
