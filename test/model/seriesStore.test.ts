import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/exposition/exposition.ts';
import type { DropReason } from '../../src/model/dropCounter.ts';
import type { HistogramData } from '../../src/model/family.ts';
import type { Exemplar, OtelMetric } from '../../src/model/otelData.ts';
import { DEFAULT_SIDECAR_MAX_SERIES, SeriesStore } from '../../src/model/seriesStore.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import {
  buildHarness,
  dropCounts,
  expo,
  exponentialHistogram,
  family,
  gauge,
  hist,
  histogram,
  MINUTE,
  num,
  PLAIN,
  plainData,
  resourceMetrics,
  SECOND,
  seriesData,
  seriesKeys,
  SIDECAR,
  sum,
  summary,
  summaryPoint,
  T0,
  valueOf,
} from './storeFixtures.ts';

const T1 = T0 + 10 * SECOND;
const T2 = T0 + 20 * SECOND;
const T3 = T0 + 30 * SECOND;

const exemplar = (value: number, spanId: string): Exemplar => ({ value, timeMs: T1, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId });

describe('SeriesStore.apply: the result, for OTLP partial_success', () => {
  it('counts accepted points; nothing refused, no errors', () => {
    const { store } = buildHarness();
    const result = store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' }), num(2, T0, T1, { a: '2' })]), sum('c', 'cumulative', [num(3, T0, T1)])]));
    assert.deepEqual(result, { acceptedPoints: 3, rejectedPoints: 0, errors: [] });
  });

  it('refused points are counted and described; the rest of the request is kept', () => {
    const { store, drops } = buildHarness();
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', [num(NaN, T0, T1, { a: 'bad' }), num(4, T0, T1, { a: 'good' })])]));
    assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 1, errors: ['metric "c": a counter value is NaN'] });
    assert.equal(valueOf(store, 'c_total', 'a="good"'), 4);
    assert.equal(seriesData(store, 'c_total', 'a="bad"'), undefined);
    assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
  });

  it('one message per distinct problem, however many points it refuses', () => {
    const { store } = buildHarness();
    const points = Array.from({ length: 50 }, (_, i) => num(NaN, T0, T1, { i }));
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', points)]));
    assert.equal(result.rejectedPoints, 50);
    assert.deepEqual(result.errors, ['metric "c": a counter value is NaN']);
  });

  it('at most 10 messages, and a last line saying more were left out', () => {
    const { store, drops } = buildHarness();
    const metrics = Array.from({ length: 15 }, (_, i) => sum(`c${i}`, 'cumulative', [num(NaN, T0, T1)]));
    const result = store.apply(resourceMetrics(metrics));
    assert.equal(result.rejectedPoints, 15);
    assert.equal(result.errors.length, 11);
    assert.deepEqual(result.errors.slice(0, 2), ['metric "c0": a counter value is NaN', 'metric "c1": a counter value is NaN']);
    assert.equal(result.errors[10], 'other problems were left out of this list');
    assert.deepEqual(dropCounts(drops), { invalid_point: 15 });
  });

  it('applyAll: every resource of a request, one result', () => {
    const { store } = buildHarness(SIDECAR);
    const result = store.applyAll([
      resourceMetrics([gauge('g', [num(1, T0, T1)])], { 'service.name': 'a' }),
      resourceMetrics([gauge('g', [num(2, T0, T1), num(NaN, T0, T1, { x: '1' })]), sum('c', 'cumulative', [num(NaN, T0, T1)])], { 'service.name': 'b' }),
    ]);
    assert.deepEqual(result, { acceptedPoints: 3, rejectedPoints: 1, errors: ['metric "c": a counter value is NaN'] });
  });
});

describe('delta → cumulative: sums', () => {
  for (const monotonic of [true, false]) {
    const name = monotonic ? 'c_total' : 'c';
    describe(monotonic ? 'monotonic (a counter)' : 'non-monotonic (a gauge)', () => {
      it('adds consecutive deltas and keeps the start time of the first point', () => {
        const { store, drops } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        const result = store.apply(resourceMetrics([sum('c', 'delta', [num(3, T1, T2)], monotonic)]));
        assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
        assert.equal(valueOf(store, name), 8);
        const series = family(store, name)?.series.get('');
        assert.equal(series?.startTimeMs, T0);
        assert.equal(series?.timeMs, T2);
        assert.deepEqual(dropCounts(drops), {});
      });

      it('a delta starting after a gap is still added', () => {
        const { store } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        store.apply(resourceMetrics([sum('c', 'delta', [num(2, T2, T3)], monotonic)]));
        assert.equal(valueOf(store, name), 7);
      });

      it('consecutive deltas of one series in one request are both added', () => {
        const { store, drops } = buildHarness();
        const result = store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1), num(3, T1, T2)], monotonic)]));
        assert.deepEqual(result, { acceptedPoints: 2, rejectedPoints: 0, errors: [] });
        assert.equal(valueOf(store, name), 8);
        assert.deepEqual(dropCounts(drops), {});
      });

      const outOfOrder: readonly { rule: string; start: number | undefined; end: number }[] = [
        { rule: 'the same range again (a retried request)', start: T0, end: T1 },
        { rule: 'a range that starts before the end of the last one', start: T0 + 5 * SECOND, end: T2 },
        { rule: 'a range that ends before the last one', start: T0 - 10 * SECOND, end: T0 },
        { rule: 'no start time and the same end time', start: undefined, end: T1 },
      ];
      for (const { rule, start, end } of outOfOrder) {
        it(`out of order, refused and counted: ${rule}`, () => {
          const { store, drops } = buildHarness();
          store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
          const result = store.apply(resourceMetrics([sum('c', 'delta', [num(3, start, end)], monotonic)]));
          assert.equal(result.acceptedPoints, 0);
          assert.equal(result.rejectedPoints, 1);
          assert.match(result.errors[0] ?? '', /^metric "c": .*out of order/);
          assert.equal(valueOf(store, name), 5);
          assert.deepEqual(dropCounts(drops), { out_of_order: 1 });
        });
      }

      it('no start time and a later end time: added', () => {
        const { store } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        store.apply(resourceMetrics([sum('c', 'delta', [num(3, undefined, T2)], monotonic)]));
        assert.equal(valueOf(store, name), 8);
      });

      it('a NaN delta is refused (invalid_point), the total stays', () => {
        const { store, drops } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        const result = store.apply(resourceMetrics([sum('c', 'delta', [num(NaN, T1, T2)], monotonic)]));
        assert.equal(result.rejectedPoints, 1);
        assert.equal(valueOf(store, name), 5);
        assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
      });
    });
  }

  it('a negative delta of a monotonic sum is refused (a counter never goes down)', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)])]));
    const result = store.apply(resourceMetrics([sum('c', 'delta', [num(-2, T1, T2)])]));
    assert.deepEqual(result, { acceptedPoints: 0, rejectedPoints: 1, errors: ['metric "c": a counter increment (monotonic delta) is negative'] });
    assert.equal(valueOf(store, 'c_total'), 5);
    assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
  });

  it('a negative delta of a non-monotonic sum is added', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], false)]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(-7, T1, T2)], false)]));
    assert.equal(valueOf(store, 'c'), -2);
  });

  it('series are accumulated apart', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0, T1, { a: 'x' }), num(10, T0, T1, { a: 'y' })])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(2, T1, T2, { a: 'x' }), num(20, T1, T2, { a: 'y' })])]));
    assert.equal(valueOf(store, 'c_total', 'a="x"'), 3);
    assert.equal(valueOf(store, 'c_total', 'a="y"'), 30);
  });

  it('keeps the latest exemplar: a delta without one keeps the previous', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0, T1, {}, { exemplars: [exemplar(1, '0000000000000001'), exemplar(1, '0000000000000002')] })])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T1, T2)])]));
    const data = seriesData(store, 'c_total');
    assert.equal(data?.kind === 'number' ? data.exemplar?.spanId : undefined, '0000000000000002');
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T2, T3, {}, { exemplars: [exemplar(1, '0000000000000003')] })])]));
    const later = seriesData(store, 'c_total');
    assert.equal(later?.kind === 'number' ? later.exemplar?.spanId : undefined, '0000000000000003');
  });

  it('a series that switches from cumulative to delta starts over from the delta point', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(100, T0, T1)])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(3, T1, T2)])]));
    assert.equal(valueOf(store, 'c_total'), 3);
    store.apply(resourceMetrics([sum('c', 'delta', [num(4, T2, T3)])]));
    assert.equal(valueOf(store, 'c_total'), 7);
  });
});

describe('delta → cumulative: histograms', () => {
  it('same bounds: added bucket-wise, with count and sum; the start time of the first point stays', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 2, 3], [1, 5], T0, T1, { sum: 10 })])]));
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([4, 0, 1], [1, 5], T1, T2, { sum: 7 })])]));
    const data = seriesData(store, 'h');
    assert.deepEqual(data, { kind: 'histogram', bounds: [1, 5], counts: [5, 2, 4], count: 11, sum: 17, exemplars: undefined });
    assert.equal(family(store, 'h')?.series.get('')?.startTimeMs, T0);
    assert.equal(renderText(store.families()), '# TYPE h histogram\nh_bucket{le="1"} 5\nh_bucket{le="5"} 7\nh_bucket{le="+Inf"} 11\nh_sum 17\nh_count 11\n');
  });

  it('different bounds: the series starts over from this point, with its start time', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 2, 3], [1, 5], T0, T1)])]));
    const result = store.apply(resourceMetrics([histogram('h', 'delta', [hist([4, 1], [2], T1, T2)])]));
    assert.equal(result.acceptedPoints, 1);
    const data = seriesData(store, 'h') as HistogramData;
    assert.deepEqual([data.bounds, data.counts, data.count], [[2], [4, 1], 5]);
    assert.equal(family(store, 'h')?.series.get('')?.startTimeMs, T1);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('a delta without a sum makes the sum unknown', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T0, T1, { sum: 3 })])]));
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T1, T2, { sum: undefined })])]));
    assert.equal((seriesData(store, 'h') as HistogramData).sum, undefined);
  });

  it('an overlapping delta is out of order, refused and counted', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T0, T2)])]));
    const result = store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T1, T3)])]));
    assert.equal(result.rejectedPoints, 1);
    assert.equal((seriesData(store, 'h') as HistogramData).count, 2);
    assert.deepEqual(dropCounts(drops), { out_of_order: 1 });
  });

  it('keeps the latest exemplar per bucket', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T0, T1, { exemplars: [exemplar(0.5, 'aaaaaaaaaaaaaaaa'), exemplar(3, 'bbbbbbbbbbbbbbbb')] })])]));
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 0], [1], T1, T2, { exemplars: [exemplar(0.7, 'cccccccccccccccc')] })])]));
    const spans = (seriesData(store, 'h') as HistogramData).exemplars?.map((e) => e?.spanId);
    assert.deepEqual(spans, ['cccccccccccccccc', 'bbbbbbbbbbbbbbbb']);
  });
});

describe('delta → cumulative: exponential histograms', () => {
  it('same scale: buckets, zero counts, counts and sums add up', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(0, { offset: 0, counts: [1, 2] }, T0, T1, { zeroCount: 1, negative: { offset: 1, counts: [1] } })])]));
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(0, { offset: 1, counts: [3, 4] }, T1, T2, { zeroCount: 2 })])]));
    const data = seriesData(store, 'e');
    assert.ok(data?.kind === 'exponentialHistogram');
    assert.deepEqual(
      { scale: data.scale, zeroCount: data.zeroCount, positive: data.positive, negative: data.negative, count: data.count, sum: data.sum },
      { scale: 0, zeroCount: 3, positive: { offset: 0, counts: [1, 5, 4] }, negative: { offset: 1, counts: [1] }, count: 14, sum: 14 },
    );
    assert.equal(family(store, 'e')?.series.get('')?.startTimeMs, T0);
  });

  it('different scales: both brought to the smaller one (buckets merged pairwise), then added', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(1, { offset: 0, counts: [1, 2, 3, 4] }, T0, T1)])]));
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(0, { offset: 0, counts: [10] }, T1, T2)])]));
    const data = seriesData(store, 'e');
    assert.ok(data?.kind === 'exponentialHistogram');
    assert.deepEqual([data.scale, data.positive, data.count], [0, { offset: 0, counts: [13, 7] }, 20]);
  });

  it('a different zero threshold: the series starts over from this point', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(0, { offset: 0, counts: [5] }, T0, T1)])]));
    store.apply(resourceMetrics([exponentialHistogram('e', 'delta', [expo(0, { offset: 0, counts: [2] }, T1, T2, { zeroThreshold: 0.001 })])]));
    const data = seriesData(store, 'e');
    assert.ok(data?.kind === 'exponentialHistogram');
    assert.deepEqual([data.count, data.zeroThreshold], [2, 0.001]);
    assert.equal(family(store, 'e')?.series.get('')?.startTimeMs, T1);
  });
});

describe('cumulative points', () => {
  it('a later point replaces the series', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(5, T0, T1)])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(9, T0, T2)])]));
    assert.equal(valueOf(store, 'c_total'), 9);
  });

  const resets: readonly { rule: string; second: OtelMetric; value: number; start: number | undefined }[] = [
    { rule: 'a new start time', second: sum('c', 'cumulative', [num(2, T1, T2)]), value: 2, start: T1 },
    { rule: 'a lower value with the same start time', second: sum('c', 'cumulative', [num(2, T0, T2)]), value: 2, start: T0 },
    { rule: 'a lower value without start times', second: sum('c', 'cumulative', [num(2, undefined, T2)]), value: 2, start: undefined },
  ];
  for (const { rule, second, value, start } of resets) {
    it(`a reset (${rule}) starts the series over from the point: no negative step, nothing refused`, () => {
      const { store, drops } = buildHarness();
      store.apply(resourceMetrics([sum('c', 'cumulative', [num(100, T0, T1, {}, { exemplars: [exemplar(1, '0000000000000001')] })])]));
      const result = store.apply(resourceMetrics([second]));
      assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
      assert.deepEqual(plainData(seriesData(store, 'c_total')), { kind: 'number', value }, 'the old exemplar goes with the reset');
      assert.equal(family(store, 'c_total')?.series.get('')?.startTimeMs, start);
      assert.deepEqual(dropCounts(drops), {});
    });
  }

  it('a histogram whose count went down is a reset: stored as it is', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([5, 5], [1], T0, T1)])]));
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([1, 0], [1], T0, T2)])]));
    assert.deepEqual((seriesData(store, 'h') as HistogramData).counts, [1, 0]);
  });

  const stale: readonly { rule: string; metric: (start: number, end: number) => OtelMetric; name: string }[] = [
    { rule: 'counter', metric: (s, e) => sum('c', 'cumulative', [num(1, s, e)]), name: 'c_total' },
    { rule: 'non-monotonic sum', metric: (s, e) => sum('c', 'cumulative', [num(1, s, e)], false), name: 'c' },
    { rule: 'gauge', metric: (s, e) => gauge('g', [num(1, s, e)]), name: 'g' },
    { rule: 'histogram', metric: (s, e) => histogram('h', 'cumulative', [hist([1], [], s, e)]), name: 'h' },
    { rule: 'exponential histogram', metric: (s, e) => exponentialHistogram('e', 'cumulative', [expo(0, { offset: 0, counts: [1] }, s, e)]), name: 'e' },
    { rule: 'summary', metric: (s, e) => summary('s', [summaryPoint(1, 1, s, e)]), name: 's' },
  ];
  for (const { rule, metric, name } of stale) {
    it(`${rule}: a point older than the stored one is out of order, refused and counted`, () => {
      const { store, drops } = buildHarness();
      store.apply(resourceMetrics([metric(T0, T2)]));
      const before = seriesData(store, name);
      const result = store.apply(resourceMetrics([metric(T0, T1)]));
      assert.equal(result.acceptedPoints, 0);
      assert.equal(result.rejectedPoints, 1);
      assert.match(result.errors[0] ?? '', /out of order/);
      assert.equal(seriesData(store, name), before);
      assert.deepEqual(dropCounts(drops), { out_of_order: 1 });
    });
  }

  it('the same point again in a later request (a retry) is accepted, unchanged', () => {
    const { store, drops } = buildHarness();
    const batch = resourceMetrics([sum('c', 'cumulative', [num(5, T0, T1)])]);
    store.apply(batch);
    assert.deepEqual(store.apply(batch), { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
    assert.equal(valueOf(store, 'c_total'), 5);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('keeps the latest exemplar while the series does not reset', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(1, T0, T1, {}, { exemplars: [exemplar(1, '0000000000000001')] })])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(2, T0, T2)])]));
    assert.deepEqual(seriesData(store, 'c_total'), { kind: 'number', value: 2, exemplar: exemplar(1, '0000000000000001') });
  });

  it('keeps the latest exemplar per bucket of a cumulative histogram', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([1, 1], [1], T0, T1, { exemplars: [exemplar(0.5, 'aaaaaaaaaaaaaaaa'), exemplar(3, 'bbbbbbbbbbbbbbbb')] })])]));
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([2, 1], [1], T0, T2, { exemplars: [exemplar(0.7, 'cccccccccccccccc')] })])]));
    const spans = (seriesData(store, 'h') as HistogramData).exemplars?.map((e) => e?.spanId);
    assert.deepEqual(spans, ['cccccccccccccccc', 'bbbbbbbbbbbbbbbb']);
  });
});

describe('summaries (cumulative only in OTLP): stored as they come', () => {
  it('each point replaces the series, a lower count included', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([summary('s', [summaryPoint(10, 50, T0, T1)])]));
    store.apply(resourceMetrics([summary('s', [summaryPoint(2, 4, T0, T2)])]));
    assert.deepEqual(seriesData(store, 's'), { kind: 'summary', quantiles: [{ quantile: 0.5, value: 2 }], count: 2, sum: 4 });
    assert.deepEqual(dropCounts(drops), {});
  });
});

describe('invalid points: refused one by one (invalid_point), the rest accepted', () => {
  const cases: readonly { rule: string; metric: OtelMetric; error: string }[] = [
    { rule: 'a NaN counter', metric: sum('m', 'cumulative', [num(NaN, T0, T1)]), error: 'a counter value is NaN' },
    {
      rule: 'bucket counts not matching bounds + 1',
      metric: histogram('m', 'cumulative', [hist([1, 2], [1, 2], T0, T1)]),
      error: 'the histogram needs one bucket count more than it has bounds',
    },
    { rule: 'a negative bucket count', metric: histogram('m', 'cumulative', [hist([1, -1], [1], T0, T1, { count: 1 })]), error: 'a histogram bucket count is negative or NaN' },
    { rule: 'a negative histogram count', metric: histogram('m', 'cumulative', [hist([], [], T0, T1, { count: -1 })]), error: 'the histogram count is negative or NaN' },
    {
      rule: 'a count smaller than the sum of bucket counts',
      metric: histogram('m', 'cumulative', [hist([3, 4], [1], T0, T1, { count: 6 })]),
      error: 'the histogram count is smaller than the sum of its bucket counts',
    },
    { rule: 'bounds not ascending', metric: histogram('m', 'cumulative', [hist([1, 1, 1], [5, 1], T0, T1)]), error: 'the histogram bounds are not strictly ascending' },
    {
      rule: 'a negative exponential bucket count',
      metric: exponentialHistogram('m', 'cumulative', [expo(0, { offset: 0, counts: [2, -1] }, T0, T1, { count: 1 })]),
      error: 'an exponential histogram bucket count is negative or NaN',
    },
    {
      rule: 'an exponential count smaller than its buckets and zero count',
      metric: exponentialHistogram('m', 'cumulative', [expo(0, { offset: 0, counts: [2] }, T0, T1, { zeroCount: 1, count: 2 })]),
      error: 'the exponential histogram count is smaller than the sum of its bucket and zero counts',
    },
    {
      rule: 'an exponential scale out of range',
      metric: exponentialHistogram('m', 'cumulative', [expo(21, { offset: 0, counts: [1] }, T0, T1)]),
      error: 'the exponential histogram scale is not a whole number from -10 to 20',
    },
    { rule: 'a negative summary count', metric: summary('m', [summaryPoint(-1, 0, T0, T1)]), error: 'the summary count is negative or NaN' },
    { rule: 'no valid timestamp', metric: gauge('m', [num(1, T0, NaN)]), error: 'the point has no valid timestamp' },
  ];
  for (const { rule, metric, error } of cases) {
    it(rule, () => {
      const { store, drops } = buildHarness();
      const result = store.apply(resourceMetrics([metric, gauge('ok', [num(1, T0, T1)])]));
      assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 1, errors: [`metric "m": ${error}`] });
      assert.deepEqual(seriesKeys(store), ['ok{}']);
      assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
    });
  }

  it('a histogram without buckets (count and sum only) is valid: one +Inf bucket', () => {
    const { store } = buildHarness();
    const result = store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([], [], T0, T1, { count: 4, sum: 8 })])]));
    assert.equal(result.acceptedPoints, 1);
    assert.equal(renderText(store.families()), '# TYPE h histogram\nh_bucket{le="+Inf"} 4\nh_sum 8\nh_count 4\n');
  });

  it('a NaN gauge is a value, not a problem', () => {
    const { store } = buildHarness();
    assert.equal(store.apply(resourceMetrics([gauge('g', [num(NaN, T0, T1)])])).acceptedPoints, 1);
  });

  const metricRefusals: readonly { rule: string; metrics: OtelMetric[]; reason: DropReason; error: RegExp }[] = [
    { rule: 'an invalid metric name refuses all its points', metrics: [gauge('...', [num(1, T0, T1), num(2, T0, T1, { a: '1' })])], reason: 'invalid_metric_name', error: /^metric "\.\.\." has no valid characters$/ },
    {
      rule: 'a type conflict refuses all the points of the second metric',
      metrics: [gauge('x', [num(1, T0, T1)]), histogram('x', 'cumulative', [hist([1], [], T0, T1), hist([1], [], T0, T1, { attributes: { a: '1' } })])],
      reason: 'type_conflict',
      error: /^metric "x" would be a histogram named x, which is already a gauge$/,
    },
  ];
  for (const { rule, metrics, reason, error } of metricRefusals) {
    it(rule, () => {
      const { store, drops } = buildHarness();
      const result = store.apply(resourceMetrics(metrics));
      assert.equal(result.rejectedPoints, 2);
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0] ?? '', error);
      assert.deepEqual(dropCounts(drops), { [reason]: 2 });
    });
  }

  it('two points for one series at one time in one request: the first is kept (duplicate_series)', () => {
    const { store, drops } = buildHarness();
    const result = store.apply(resourceMetrics([gauge('g', [num(1, T0, T1), num(2, T0, T1)])]));
    assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 1, errors: ['metric "g": two points for the series g{} at one time'] });
    assert.equal(valueOf(store, 'g'), 1);
    assert.deepEqual(dropCounts(drops), { duplicate_series: 1 });
  });
});

describe('noRecordedValue', () => {
  it('removes its series (an accepted point), and frees its place under the limit', () => {
    const { store } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: 'gone' })])]));
    assert.equal(store.seriesCount(), 1);
    const result = store.apply(resourceMetrics([gauge('g', [num(0, T0, T2, { a: 'gone' }, { noRecordedValue: true })])]));
    assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
    assert.deepEqual(seriesKeys(store), []);
    assert.equal(store.seriesCount(), 0);
    assert.equal(store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: 'new' })])])).acceptedPoints, 1);
  });

  it('a delta series removed by it starts from zero again', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(0, T1, T2, {}, { noRecordedValue: true })])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(2, T2, T3)])]));
    assert.equal(valueOf(store, 'c_total'), 2);
  });
});

describe('cardinality limit (maxSeries)', () => {
  it('a point that would create a series beyond the limit is refused and counted; existing series go on updating', () => {
    const { store, drops } = buildHarness({}, { maxSeries: 2 });
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(1, T0, T1, { a: '1' }), num(1, T0, T1, { a: '2' })])]));
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', [num(2, T0, T2, { a: '1' }), num(2, T0, T2, { a: '2' }), num(2, T0, T2, { a: '3' }), num(2, T0, T2, { a: '4' })])]));
    assert.deepEqual(result, { acceptedPoints: 2, rejectedPoints: 2, errors: ['metric "c": the limit of 2 series is reached, new series are refused'] });
    assert.deepEqual(seriesKeys(store), ['c_total{a="1"}', 'c_total{a="2"}']);
    assert.equal(valueOf(store, 'c_total', 'a="1"'), 2);
    assert.equal(store.seriesCount(), 2);
    assert.deepEqual(dropCounts(drops), { cardinality_limit: 2 });
  });

  it('target_info is not counted against the limit', () => {
    const { store } = buildHarness(SIDECAR, { maxSeries: 1 });
    const result = store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])], { 'service.name': 'svc', 'host.name': 'h' }));
    assert.equal(result.acceptedPoints, 1);
    assert.equal(store.seriesCount(), 1);
    assert.deepEqual(seriesKeys(store), ['g{job="svc"}', 'target_info{host_name="h",job="svc"}']);
  });

  it('space freed by expiry takes new series again', () => {
    const { store, clock } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' })])]));
    clock.advance(5 * MINUTE);
    store.sweep();
    assert.equal(store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '2' })])])).acceptedPoints, 1);
  });

  it('no limit unless configured (the in-process exporters); the sidecar default is 200,000', () => {
    const { store } = buildHarness();
    const points = Array.from({ length: 1000 }, (_, i) => num(i, T0, T1, { i }));
    assert.equal(store.apply(resourceMetrics([gauge('g', points)])).acceptedPoints, 1000);
    assert.equal(DEFAULT_SIDECAR_MAX_SERIES, 200_000);
  });
});

describe('target_info and resources (withJobAndInstance)', () => {
  const checkout = { 'service.name': 'checkout', 'service.instance.id': 'pod-1', 'host.name': 'node-1' };
  const inventory = { 'service.name': 'inventory', 'service.instance.id': 'pod-2', 'host.name': 'node-2' };

  it('two resources with different service.name/service.instance.id stay apart, each with its own target_info', () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(resourceMetrics([sum('requests', 'delta', [num(1, T0, T1)])], checkout));
    store.apply(resourceMetrics([sum('requests', 'delta', [num(10, T0, T1)])], inventory));
    store.apply(resourceMetrics([sum('requests', 'delta', [num(2, T1, T2)])], checkout));
    assert.equal(valueOf(store, 'requests_total', 'instance="pod-1",job="checkout"'), 3);
    assert.equal(valueOf(store, 'requests_total', 'instance="pod-2",job="inventory"'), 10);
    assert.deepEqual(seriesKeys(store), [
      'requests_total{instance="pod-1",job="checkout"}',
      'requests_total{instance="pod-2",job="inventory"}',
      'target_info{host_name="node-1",instance="pod-1",job="checkout"}',
      'target_info{host_name="node-2",instance="pod-2",job="inventory"}',
    ]);
  });

  it('one target_info per job/instance: the latest attributes replace the previous ones', () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])], checkout));
    store.apply(resourceMetrics([gauge('g', [num(2, T0, T2)])], { ...checkout, 'host.name': 'node-9', 'k8s.pod.name': 'p' }));
    assert.deepEqual(
      seriesKeys(store).filter((key) => key.startsWith('target_info')),
      ['target_info{host_name="node-9",instance="pod-1",job="checkout",k8s_pod_name="p"}'],
    );
  });

  it('a resource whose attributes shrink to its identity loses its target_info', () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])], checkout));
    store.apply(resourceMetrics([gauge('g', [num(2, T0, T2)])], { 'service.name': 'checkout', 'service.instance.id': 'pod-1' }));
    assert.deepEqual(seriesKeys(store), ['g{instance="pod-1",job="checkout"}']);
  });

  it('target_info goes with its resource last series at expiry, not before', () => {
    const { store, clock } = buildHarness(SIDECAR);
    store.apply(resourceMetrics([gauge('a', [num(1, T0, T1)])], checkout));
    clock.advance(2 * MINUTE);
    store.apply(resourceMetrics([gauge('b', [num(1, T0, T1)])], checkout));
    clock.advance(3 * MINUTE);
    assert.equal(store.sweep(), 1);
    assert.deepEqual(seriesKeys(store), ['b{instance="pod-1",job="checkout"}', 'target_info{host_name="node-1",instance="pod-1",job="checkout"}']);
    clock.advance(2 * MINUTE);
    assert.equal(store.sweep(), 1);
    assert.deepEqual(seriesKeys(store), []);
    assert.deepEqual(store.families(), []);
  });
});

describe('in-process usage: clear() then apply() per collection', () => {
  it('each collection replaces the snapshot whole', () => {
    const { store, drops } = buildHarness({ withTargetInfo: true });
    const resource = { 'service.name': 'app' };
    store.clear();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(5, T0, T1)]), gauge('old', [num(1, T0, T1)])], resource));
    store.clear();
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', [num(7, T0, T2)])], resource));
    assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
    assert.deepEqual(seriesKeys(store), ['c_total{}', 'target_info{service_name="app"}']);
    assert.equal(valueOf(store, 'c_total'), 7);
    assert.equal(store.seriesCount(), 1);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('after clear() nothing is out of order, and a delta is shown as it is (nothing to add it to)', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(5, T0, T2)]), sum('d', 'delta', [num(3, T1, T2)])]));
    store.clear();
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(4, T0, T1)]), sum('d', 'delta', [num(2, T0, T1)])]));
    assert.equal(valueOf(store, 'c_total'), 4);
    assert.equal(valueOf(store, 'd_total'), 2);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('the constructor without options keeps working (no limit, Date.now)', () => {
    const store = new SeriesStore(PLAIN, new DropCounter());
    const before = Date.now();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    assert.equal(store.sweep(before + 4 * MINUTE), 0);
    assert.equal(store.sweep(Date.now() + 5 * MINUTE), 1);
  });
});
