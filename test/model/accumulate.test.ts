import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accumulate } from '../../src/model/accumulate.ts';
import { addBuckets, addExponentialHistograms, downscale, MAX_ACCUMULATED_BUCKETS } from '../../src/model/exponentialMerge.ts';
import type { ExponentialHistogramData, HistogramData, SeriesData } from '../../src/model/family.ts';
import type { ExponentialBuckets } from '../../src/otelData/otelData.ts';
import { plainData } from './storeFixtures.ts';

function expoData(scale: number, positive: ExponentialBuckets, extra: Partial<ExponentialHistogramData> = {}): ExponentialHistogramData {
  const negative = extra.negative ?? { offset: 0, counts: [] };
  const zeroCount = extra.zeroCount ?? 0;
  const count = zeroCount + [...positive.counts, ...negative.counts].reduce((a, b) => a + b, 0);
  return { kind: 'exponentialHistogram', scale, zeroCount, zeroThreshold: 0, positive, negative, count, sum: count, ...extra };
}

function histData(bounds: number[], counts: number[], sum?: number): HistogramData {
  return { kind: 'histogram', bounds, counts, count: counts.reduce((a, b) => a + b, 0), sum };
}

describe('accumulate: delta → cumulative', () => {
  const rows: readonly { rule: string; total: SeriesData; delta: SeriesData; want: SeriesData | 'delta' }[] = [
    { rule: 'numbers add', total: { kind: 'number', value: 2.5 }, delta: { kind: 'number', value: 4 }, want: { kind: 'number', value: 6.5 } },
    { rule: 'a negative delta (non-monotonic sums) subtracts', total: { kind: 'number', value: 2 }, delta: { kind: 'number', value: -3 }, want: { kind: 'number', value: -1 } },
    {
      rule: 'histograms with the same bounds add bucket-wise',
      total: histData([1, 2], [1, 2, 3], 6),
      delta: histData([1, 2], [10, 0, 1], 4),
      want: { kind: 'histogram', bounds: [1, 2], counts: [11, 2, 4], count: 17, sum: 10, exemplars: undefined },
    },
    { rule: 'histograms with other bounds: the delta (start over)', total: histData([1, 2], [1, 2, 3]), delta: histData([5], [1, 1]), want: 'delta' },
    { rule: 'another kind: the delta (start over)', total: { kind: 'number', value: 1 }, delta: histData([], [1]), want: 'delta' },
    {
      rule: 'exponential histograms with another zero threshold: the delta (start over)',
      total: expoData(0, { offset: 0, counts: [1] }),
      delta: expoData(0, { offset: 0, counts: [1] }, { zeroThreshold: 1e-9 }),
      want: 'delta',
    },
    {
      rule: 'summaries are never added (cumulative only)',
      total: { kind: 'summary', quantiles: [], count: 1, sum: 1 },
      delta: { kind: 'summary', quantiles: [], count: 2, sum: 2 },
      want: 'delta',
    },
  ];
  for (const { rule, total, delta, want } of rows) {
    it(rule, () => {
      const got = accumulate(total, delta);
      if (want === 'delta') assert.equal(got, delta);
      else assert.deepEqual(plainData(got), want);
    });
  }
});

describe('exponential histograms: downscale (merge neighbouring buckets pairwise per step)', () => {
  const rows: readonly { rule: string; buckets: ExponentialBuckets; steps: number; want: ExponentialBuckets }[] = [
    { rule: 'no step: unchanged', buckets: { offset: 3, counts: [1, 2] }, steps: 0, want: { offset: 3, counts: [1, 2] } },
    { rule: 'one step from offset 0', buckets: { offset: 0, counts: [1, 2, 3, 4] }, steps: 1, want: { offset: 0, counts: [3, 7] } },
    { rule: 'one step from an odd offset', buckets: { offset: 1, counts: [1, 2, 3] }, steps: 1, want: { offset: 0, counts: [1, 5] } },
    { rule: 'negative indexes divide towards -infinity', buckets: { offset: -3, counts: [1, 1, 1] }, steps: 1, want: { offset: -2, counts: [1, 2] } },
    { rule: 'two steps', buckets: { offset: 0, counts: [1, 1, 1, 1, 1] }, steps: 2, want: { offset: 0, counts: [4, 1] } },
    { rule: 'empty stays empty', buckets: { offset: 7, counts: [] }, steps: 3, want: { offset: 7, counts: [] } },
  ];
  for (const { rule, buckets, steps, want } of rows) it(rule, () => assert.deepEqual(downscale(buckets, steps), want));
});

describe('exponential histograms: addBuckets covers both ranges', () => {
  const rows: readonly { rule: string; a: ExponentialBuckets; b: ExponentialBuckets; want: ExponentialBuckets }[] = [
    { rule: 'same range', a: { offset: 0, counts: [1, 2] }, b: { offset: 0, counts: [3, 4] }, want: { offset: 0, counts: [4, 6] } },
    { rule: 'overlapping', a: { offset: -1, counts: [1, 2] }, b: { offset: 0, counts: [3, 4] }, want: { offset: -1, counts: [1, 5, 4] } },
    { rule: 'disjoint with a gap', a: { offset: 0, counts: [1] }, b: { offset: 3, counts: [2] }, want: { offset: 0, counts: [1, 0, 0, 2] } },
    { rule: 'one empty', a: { offset: 0, counts: [] }, b: { offset: 5, counts: [2] }, want: { offset: 5, counts: [2] } },
  ];
  for (const { rule, a, b, want } of rows) it(rule, () => assert.deepEqual(addBuckets(a, b), want));
});

describe('addExponentialHistograms', () => {
  it('brings both to the smaller scale, then adds positive, negative and zero counts', () => {
    const total = expoData(2, { offset: 0, counts: [1, 1, 1, 1] }, { zeroCount: 1, negative: { offset: 0, counts: [2, 2] } });
    const delta = expoData(1, { offset: 0, counts: [5] }, { zeroCount: 2, negative: { offset: 1, counts: [1] } });
    const got = addExponentialHistograms(total, delta);
    assert.deepEqual(
      { scale: got.scale, positive: got.positive, negative: got.negative, zeroCount: got.zeroCount, count: got.count, sum: got.sum },
      { scale: 1, positive: { offset: 0, counts: [7, 2] }, negative: { offset: 0, counts: [4, 1] }, zeroCount: 3, count: total.count + delta.count, sum: total.count + delta.count },
    );
  });

  it('far-apart ranges are downscaled until they fit, never allocating their whole span', () => {
    const total = expoData(20, { offset: 0, counts: [1] });
    const delta = expoData(20, { offset: 2_000_000_000, counts: [1] });
    const got = addExponentialHistograms(total, delta);
    assert.ok(got.positive.counts.length <= MAX_ACCUMULATED_BUCKETS, `${got.positive.counts.length} buckets`);
    assert.ok(got.scale < 20);
    assert.equal(got.positive.counts.reduce((a, b) => a + b, 0), 2);
  });

  it('a sum missing on either side stays unknown', () => {
    assert.equal(addExponentialHistograms(expoData(0, { offset: 0, counts: [1] }), expoData(0, { offset: 0, counts: [1] }, { sum: undefined })).sum, undefined);
  });

  it('keeps a bounded history of exemplars, the newest last', () => {
    const exemplars = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ value: from + i }));
    const got = addExponentialHistograms(
      expoData(0, { offset: 0, counts: [1] }, { exemplars: exemplars(0, 10) }),
      expoData(0, { offset: 0, counts: [1] }, { exemplars: exemplars(100, 10) }),
    );
    assert.equal(got.exemplars?.length, 16);
    assert.deepEqual(got.exemplars?.at(-1), { value: 109 });
    assert.deepEqual(got.exemplars?.[0], { value: 4 });
  });
});
