import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExponentialBuckets } from '../../src/otelData/otelData.ts';
import { DEFAULT_NATIVE_ZERO_THRESHOLD, toNativeBuckets, toNativeHistogram, type NativeBuckets } from '../../src/translate/nativeHistogramBuckets.ts';
import { SeededRandom } from '../helpers/seededRandom.ts';

/** The native buckets as absolute index → count, the way Prometheus reads spans and deltas. */
function expand(buckets: NativeBuckets): Map<number, number> {
  const counts = new Map<number, number>();
  let index = 0;
  let count = 0;
  let d = 0;
  buckets.spans.forEach((span) => {
    index += span.offset; // the first from 0, the others from the end of the one before
    for (let k = 0; k < span.length; k++) {
      count += buckets.deltas[d++]!;
      counts.set(index, count);
      index++;
    }
  });
  assert.equal(d, buckets.deltas.length, 'one delta per bucket the spans cover');
  return counts;
}

/** What the native buckets must hold: OpenTelemetry's bucket i, at the lower scale, is Prometheus' (i >> scaleDown) + 1. */
function expected(buckets: ExponentialBuckets, scaleDown: number): Map<number, number> {
  const counts = new Map<number, number>();
  buckets.counts.forEach((count, i) => {
    const index = ((buckets.offset + i) >> scaleDown) + 1;
    counts.set(index, (counts.get(index) ?? 0) + count);
  });
  for (const [index, count] of counts) if (count === 0) counts.delete(index);
  return counts;
}

function withoutZeros(counts: Map<number, number>): Map<number, number> {
  return new Map([...counts].filter(([, count]) => count !== 0));
}

describe('toNativeBuckets: OpenTelemetry dense buckets → Prometheus spans and deltas (as Prometheus\' otlptranslator)', () => {
  const rows: { rule: string; buckets: ExponentialBuckets; scaleDown: number; want: NativeBuckets }[] = [
    { rule: 'no buckets: no spans', buckets: { offset: 3, counts: [] }, scaleDown: 0, want: { spans: [], deltas: [] } },
    { rule: 'only empty buckets: no spans', buckets: { offset: 3, counts: [0, 0] }, scaleDown: 0, want: { spans: [], deltas: [] } },
    { rule: 'OpenTelemetry index i is Prometheus index i + 1; counts as deltas', buckets: { offset: 0, counts: [1, 3, 2] }, scaleDown: 0, want: { spans: [{ offset: 1, length: 3 }], deltas: [1, 2, -1] } },
    { rule: 'a negative offset stays negative', buckets: { offset: -5, counts: [4] }, scaleDown: 0, want: { spans: [{ offset: -4, length: 1 }], deltas: [4] } },
    { rule: 'empty buckets at either end are left out', buckets: { offset: 0, counts: [0, 0, 5, 0] }, scaleDown: 0, want: { spans: [{ offset: 3, length: 1 }], deltas: [5] } },
    { rule: 'a gap of two empty buckets is filled with zeros', buckets: { offset: 0, counts: [1, 0, 0, 2] }, scaleDown: 0, want: { spans: [{ offset: 1, length: 4 }], deltas: [1, -1, 0, 2] } },
    { rule: 'a gap of three empty buckets starts a new span', buckets: { offset: 0, counts: [1, 0, 0, 0, 2] }, scaleDown: 0, want: { spans: [{ offset: 1, length: 1 }, { offset: 3, length: 1 }], deltas: [1, 1] } },
    { rule: 'downscaling by one merges pairs (floor division of the index)', buckets: { offset: -1, counts: [1, 2, 3, 4] }, scaleDown: 1, want: { spans: [{ offset: 0, length: 3 }], deltas: [1, 4, -1] } },
    { rule: 'downscaling by two merges fours', buckets: { offset: 0, counts: [1, 1, 1, 1, 2, 2, 2, 2] }, scaleDown: 2, want: { spans: [{ offset: 1, length: 2 }], deltas: [4, 4] } },
  ];
  for (const { rule, buckets, scaleDown, want } of rows) {
    it(rule, () => assert.deepEqual(toNativeBuckets(buckets, scaleDown), want));
  }

  it('holds the same counts per native bucket as merging directly, for random buckets and downscalings', () => {
    const seeded = new SeededRandom(12);
    const random = (): number => seeded.next();
    for (let round = 0; round < 500; round++) {
      const length = Math.floor(random() * 40);
      const buckets = { offset: Math.floor(random() * 200) - 100, counts: Array.from({ length }, () => (random() < 0.4 ? 0 : Math.floor(random() * 1000))) };
      const scaleDown = Math.floor(random() * 13);
      const native = toNativeBuckets(buckets, scaleDown);
      assert.deepEqual(withoutZeros(expand(native)), expected(buckets, scaleDown), JSON.stringify({ buckets, scaleDown }));
      for (const span of native.spans.slice(1)) assert.ok(span.offset > 2, 'gaps of up to two buckets are filled, not spanned');
    }
  });
});

describe('toNativeHistogram: schema and zero bucket', () => {
  const none = { offset: 0, counts: [] };
  it('keeps scales −4 to 8 as the schema', () => {
    for (const scale of [-4, 0, 3, 8]) assert.equal(toNativeHistogram({ scale, zeroThreshold: 0, positive: none, negative: none })?.schema, scale);
  });
  it('downscales scales above 8 to 8, merging buckets', () => {
    const native = toNativeHistogram({ scale: 10, zeroThreshold: 0, positive: { offset: 0, counts: [1, 2, 3, 4, 5] }, negative: { offset: -4, counts: [7] } })!;
    assert.equal(native.schema, 8);
    assert.deepEqual(expand(native.positive), new Map([[1, 10], [2, 5]]));
    assert.deepEqual(expand(native.negative), new Map([[0, 7]]));
  });
  it('has no native form below scale −4', () => {
    assert.equal(toNativeHistogram({ scale: -5, zeroThreshold: 0, positive: none, negative: none }), undefined);
  });
  it('gives a zero threshold of 0 the one Prometheus\' OTLP translator uses, and keeps a positive one', () => {
    assert.equal(toNativeHistogram({ scale: 0, zeroThreshold: 0, positive: none, negative: none })?.zeroThreshold, DEFAULT_NATIVE_ZERO_THRESHOLD);
    assert.equal(DEFAULT_NATIVE_ZERO_THRESHOLD, 1e-128);
    assert.equal(toNativeHistogram({ scale: 0, zeroThreshold: 0.001, positive: none, negative: none })?.zeroThreshold, 0.001);
  });
});
