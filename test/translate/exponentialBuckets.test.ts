import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExponentialHistogramPoint } from '../../src/otelData/otelData.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS, toClassicBuckets, type ClassicBuckets } from '../../src/translate/exponentialBuckets.ts';

type Input = Pick<ExponentialHistogramPoint, 'scale' | 'zeroCount' | 'zeroThreshold' | 'positive' | 'negative' | 'count'>;

const NONE = { offset: 0, counts: [] };

function point(fields: Partial<Input> & Pick<Input, 'scale' | 'count'>): Input {
  return { zeroCount: 0, zeroThreshold: 0, positive: NONE, negative: NONE, ...fields };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Checks the shape every conversion must have, whatever the input. */
function assertWellFormed(got: ClassicBuckets, count: number, maxBuckets: number): void {
  assert.equal(got.counts.length, got.bounds.length + 1, 'one count per bound plus the +Inf bucket');
  for (let i = 1; i < got.bounds.length; i++) assert.ok(got.bounds[i]! > got.bounds[i - 1]!, `bounds strictly ascending at ${i}: ${got.bounds.join(', ')}`);
  for (const bound of got.bounds) assert.ok(Number.isFinite(bound), `bound ${bound} is finite (+Inf is implicit)`);
  for (const c of got.counts) assert.ok(c >= 0, 'no negative bucket counts');
  assert.ok(got.bounds.length <= maxBuckets, `at most ${maxBuckets} buckets, got ${got.bounds.length}`);
  assert.equal(sum(got.counts), count, 'the cumulative +Inf bucket equals the count');
}

interface Row {
  readonly rule: string;
  readonly input: Input;
  readonly maxBuckets?: number;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

function runRows(rows: readonly Row[]): void {
  for (const { rule, input, maxBuckets, bounds, counts } of rows) {
    it(rule, () => {
      const max = maxBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS;
      const got = toClassicBuckets(input, max);
      assertWellFormed(got, input.count, max);
      assert.deepEqual(got.counts, counts);
      assert.equal(got.bounds.length, bounds.length);
      for (let i = 0; i < bounds.length; i++) {
        // 2^(k/2^scale) for scale > 0 is irrational; one ulp either way is the same boundary.
        const tolerance = Math.abs(bounds[i]!) * 1e-15;
        assert.ok(Math.abs(got.bounds[i]! - bounds[i]!) <= tolerance, `bound ${i}: got ${got.bounds[i]}, want ${bounds[i]}`);
      }
    });
  }
}

describe('toClassicBuckets: "in text formats converted to classic buckets at the exponential boundaries"', () => {
  describe('positive buckets: bucket i holds (base^i, base^(i+1)], so its `le` is base^(i+1)', () => {
    runRows([
      {
        rule: 'scale 0 (base 2): offset 0 → le 2, 4, 8',
        input: point({ scale: 0, count: 6, positive: { offset: 0, counts: [1, 2, 3] } }),
        bounds: [2, 4, 8],
        counts: [1, 2, 3, 0],
      },
      {
        rule: 'scale 0: a negative offset gives boundaries below 1',
        input: point({ scale: 0, count: 3, positive: { offset: -2, counts: [1, 2] } }),
        bounds: [0.5, 1],
        counts: [1, 2, 0],
      },
      {
        rule: 'scale 1 (base √2): le √2, 2',
        input: point({ scale: 1, count: 2, positive: { offset: 0, counts: [1, 1] } }),
        bounds: [Math.SQRT2, 2],
        counts: [1, 1, 0],
      },
      {
        rule: 'scale 3 (base 2^(1/8)): the boundaries Prometheus uses',
        input: point({ scale: 3, count: 3, positive: { offset: -1, counts: [1, 1, 1] } }),
        bounds: [1, 1.0905077326652577, 1.189207115002721],
        counts: [1, 1, 1, 0],
      },
      {
        rule: 'scale -1 (base 4): offset 1 → le 16',
        input: point({ scale: -1, count: 5, positive: { offset: 1, counts: [5] } }),
        bounds: [16],
        counts: [5, 0],
      },
      {
        rule: 'empty buckets at the ends are not written',
        input: point({ scale: 0, count: 3, positive: { offset: 0, counts: [0, 0, 3, 0] } }),
        bounds: [8],
        counts: [3, 0],
      },
      {
        rule: 'empty buckets in the middle keep their boundary',
        input: point({ scale: 0, count: 2, positive: { offset: 0, counts: [1, 0, 1] } }),
        bounds: [2, 4, 8],
        counts: [1, 0, 1, 0],
      },
      {
        rule: 'an empty histogram is only the +Inf bucket',
        input: point({ scale: 0, count: 0 }),
        bounds: [],
        counts: [0],
      },
    ]);
  });

  describe('negative buckets: bucket i holds [-base^(i+1), -base^i), so its `le` is -base^i, most negative first', () => {
    runRows([
      {
        rule: 'scale 0: negative offset 0 → le -2, -1, then the zero bucket',
        input: point({ scale: 0, count: 7, negative: { offset: 0, counts: [1, 2] }, positive: { offset: 0, counts: [4] } }),
        bounds: [-2, -1, 0, 2],
        counts: [2, 1, 0, 4, 0],
      },
      {
        rule: 'only negative values',
        input: point({ scale: 0, count: 3, negative: { offset: 1, counts: [3] } }),
        bounds: [-2, 0],
        counts: [3, 0, 0],
      },
    ]);
  });

  describe('zero bucket: `le` is the zero threshold', () => {
    runRows([
      {
        rule: 'a zero count with threshold 0 → le 0',
        input: point({ scale: 0, count: 4, zeroCount: 3, positive: { offset: 0, counts: [1] } }),
        bounds: [0, 2],
        counts: [3, 1, 0],
      },
      {
        rule: 'a zero count with a threshold → le at the threshold',
        input: point({ scale: 0, count: 4, zeroCount: 3, zeroThreshold: 0.001, positive: { offset: 0, counts: [1] } }),
        bounds: [0.001, 2],
        counts: [3, 1, 0],
      },
      {
        rule: 'no zero count and no negative buckets → no zero bucket',
        input: point({ scale: 0, count: 1, zeroThreshold: 0.001, positive: { offset: 0, counts: [1] } }),
        bounds: [2],
        counts: [1, 0],
      },
    ]);
  });

  describe('"+Inf equal to _count"', () => {
    runRows([
      {
        rule: 'observations the buckets do not hold (±Inf, NaN) land in +Inf',
        input: point({ scale: 0, count: 10, positive: { offset: 0, counts: [1, 2, 3] } }),
        bounds: [2, 4, 8],
        counts: [1, 2, 3, 4],
      },
      {
        rule: 'a bucket whose boundary overflows a double is the +Inf bucket',
        input: point({ scale: 0, count: 3, positive: { offset: 1022, counts: [1, 2] } }),
        bounds: [2 ** 1023],
        counts: [1, 2],
      },
    ]);
  });

  describe('"downscaled so that at most a configured number of buckets remain"', () => {
    runRows([
      {
        rule: 'scale 2, 8 buckets, max 3 → scale 0, 2 buckets (each step merges pairs)',
        input: point({ scale: 2, count: 8, positive: { offset: 0, counts: [1, 1, 1, 1, 1, 1, 1, 1] } }),
        maxBuckets: 3,
        bounds: [2, 4],
        counts: [4, 4, 0],
      },
      {
        rule: 'scale 2, 8 buckets, max 4 → scale 1, 4 buckets',
        input: point({ scale: 2, count: 36, positive: { offset: 0, counts: [1, 2, 3, 4, 5, 6, 7, 8] } }),
        maxBuckets: 4,
        bounds: [Math.SQRT2, 2, 2 * Math.SQRT2, 4],
        counts: [3, 7, 11, 15, 0],
      },
      {
        rule: 'an odd offset merges with its pair (index i → floor(i/2))',
        input: point({ scale: 0, count: 3, positive: { offset: 1, counts: [1, 1, 1] } }),
        maxBuckets: 2,
        bounds: [4, 16],
        counts: [1, 2, 0],
      },
      {
        rule: 'a negative odd offset merges with its pair',
        input: point({ scale: 0, count: 3, positive: { offset: -3, counts: [1, 1, 1] } }),
        maxBuckets: 2,
        bounds: [0.25, 1],
        counts: [1, 2, 0],
      },
      {
        rule: 'negative buckets and the zero bucket count towards the limit',
        input: point({ scale: 0, count: 5, zeroCount: 1, negative: { offset: 0, counts: [1, 1] }, positive: { offset: 0, counts: [1, 1] } }),
        maxBuckets: 3,
        bounds: [-1, 0, 4],
        counts: [2, 1, 2, 0],
      },
      {
        rule: 'at the smallest scale (-10) the lowest buckets merge into the next one up (max 2)',
        input: point({ scale: -10, count: 6, zeroCount: 1, negative: { offset: 0, counts: [2] }, positive: { offset: -1, counts: [3] } }),
        maxBuckets: 2,
        bounds: [0, 1],
        counts: [3, 3, 0],
      },
      {
        rule: 'at the smallest scale (-10) the lowest buckets merge into the next one up (max 1)',
        input: point({ scale: -10, count: 6, zeroCount: 1, negative: { offset: 0, counts: [2] }, positive: { offset: -1, counts: [3] } }),
        maxBuckets: 1,
        bounds: [1],
        counts: [6, 0],
      },
      {
        rule: 'within the limit nothing is downscaled',
        input: point({ scale: 0, count: 6, positive: { offset: 0, counts: [1, 2, 3] } }),
        maxBuckets: 3,
        bounds: [2, 4, 8],
        counts: [1, 2, 3, 0],
      },
    ]);

    const wide = point({ scale: 8, count: 5000, zeroCount: 7, negative: { offset: -300, counts: new Array<number>(600).fill(1) }, positive: { offset: -1000, counts: new Array<number>(4393).fill(1) } });
    for (const maxBuckets of [1, 2, 5, 10, DEFAULT_MAX_EXPONENTIAL_BUCKETS, 160]) {
      it(`a wide histogram at scale 8 with max ${maxBuckets}: at most ${maxBuckets} buckets, +Inf still equals the count`, () => {
        assertWellFormed(toClassicBuckets(wide, maxBuckets), wide.count, maxBuckets);
      });
    }

    it('the downscaled boundaries are boundaries of the lower scale', () => {
      const got = toClassicBuckets(point({ scale: 3, count: 64, positive: { offset: 5, counts: new Array<number>(64).fill(1) } }), 10);
      // 64 buckets at scale 3 need 3 halvings (≤ 10 buckets): scale 0, base 2.
      for (const bound of got.bounds) assert.equal(Math.log2(bound), Math.round(Math.log2(bound)), `${bound} is a power of 2`);
      assert.equal(got.bounds.length, 9);
    });
  });
});
