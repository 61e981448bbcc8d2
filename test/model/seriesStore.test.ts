import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/exposition/text/textFormat.ts';
import type { DropReason } from '../../src/model/dropCounter.ts';
import type { HistogramData } from '../../src/model/family.ts';
import type { Exemplar, OtelMetric } from '../../src/otelData/otelData.ts';
import { MAX_REMEMBERED_WINDOWS } from '../../src/model/deltaWindows.ts';
import { BRIDGE_METRICS_PREFIX, ReservedNames } from '../../src/model/reservedNames.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import { DEFAULT_SIDECAR_MAX_SERIES } from '../../src/model/storeOptions.ts';
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
    assert.deepEqual(result, {
      acceptedPoints: 1,
      rejectedPoints: 1,
      rejectedByReason: new Map([['invalid_point', 1]]),
      errors: ['invalid_point: metric "c": a counter value is NaN (1 point; series c_total{a="bad"})'],
    });
    assert.equal(valueOf(store, 'c_total', 'a="good"'), 4);
    assert.equal(seriesData(store, 'c_total', 'a="bad"'), undefined);
    assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
  });

  it('one message per distinct problem, however many points it refuses, naming its reason and first series', () => {
    const { store } = buildHarness();
    const points = Array.from({ length: 50 }, (_, i) => num(NaN, T0, T1, { i }));
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', points)]));
    assert.equal(result.rejectedPoints, 50);
    assert.deepEqual(result.errors, ['invalid_point: metric "c": a counter value is NaN (50 points; series c_total{i="0"}, c_total{i="1"}, c_total{i="2"}, …)']);
  });

  it('at most 10 messages, and a last line saying more were left out', () => {
    const { store, drops } = buildHarness();
    const metrics = Array.from({ length: 15 }, (_, i) => sum(`c${i}`, 'cumulative', [num(NaN, T0, T1)]));
    const result = store.apply(resourceMetrics(metrics));
    assert.equal(result.rejectedPoints, 15);
    assert.equal(result.errors.length, 11);
    assert.deepEqual(result.errors.slice(0, 2), [
      'invalid_point: metric "c0": a counter value is NaN (1 point; series c0_total{})',
      'invalid_point: metric "c1": a counter value is NaN (1 point; series c1_total{})',
    ]);
    assert.equal(result.errors[10], 'other problems were left out of this list');
    assert.deepEqual(dropCounts(drops), { invalid_point: 15 });
  });

  it('applyAll: every resource of a request, one result', () => {
    const { store } = buildHarness(SIDECAR);
    const result = store.applyAll([
      resourceMetrics([gauge('g', [num(1, T0, T1)])], { 'service.name': 'a' }),
      resourceMetrics([gauge('g', [num(2, T0, T1), num(NaN, T0, T1, { x: '1' })]), sum('c', 'cumulative', [num(NaN, T0, T1)])], { 'service.name': 'b' }),
    ]);
    assert.deepEqual(result, {
      acceptedPoints: 3,
      rejectedPoints: 1,
      rejectedByReason: new Map([['invalid_point', 1]]),
      errors: ['invalid_point: metric "c": a counter value is NaN (1 point; series c_total{job="b"})'],
    });
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

      const addedAnyway: readonly { rule: string; start: number | undefined; end: number }[] = [
        { rule: 'a window that starts before the end of the last one (another writer of the series)', start: T0 + 5 * SECOND, end: T2 },
        { rule: 'a window that ends before the last one (a late retry, overtaken)', start: T0 - 10 * SECOND, end: T0 },
        { rule: 'a window with the same end and no start time (not the same window)', start: undefined, end: T1 },
      ];
      for (const { rule, start, end } of addedAnyway) {
        it(`deltas add up, whatever they overlap: ${rule}`, () => {
          const { store, drops } = buildHarness();
          store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
          const result = store.apply(resourceMetrics([sum('c', 'delta', [num(3, start, end)], monotonic)]));
          assert.deepEqual(result, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
          assert.equal(valueOf(store, name), 8);
          const series = family(store, name)?.series.get('');
          assert.equal(series?.timeMs, Math.max(T1, end), 'the exposed time never goes back');
          assert.equal(series?.startTimeMs, start === undefined ? T0 : Math.min(T0, start), 'the earliest start of the windows added');
          assert.deepEqual(dropCounts(drops), {});
        });
      }

      it('the same window again (a retried export that had been applied) is accepted and not added again', () => {
        const { store, drops } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        store.apply(resourceMetrics([sum('c', 'delta', [num(3, T1, T2)], monotonic)]));
        const retried = store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        assert.deepEqual(retried, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
        assert.equal(valueOf(store, name), 8);
        assert.equal(store.retriedDeltaPoints(), 1);
        assert.deepEqual(dropCounts(drops), {});
      });

      it('the same window with other values (two writers whose SDKs keep time in milliseconds) is added: a retry repeats its values too', () => {
        const { store, drops } = buildHarness();
        store.apply(resourceMetrics([sum('c', 'delta', [num(5, T0, T1)], monotonic)]));
        const other = store.apply(resourceMetrics([sum('c', 'delta', [num(3, T0, T1)], monotonic)]));
        assert.deepEqual(other, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
        store.apply(resourceMetrics([sum('c', 'delta', [num(3, T0, T1)], monotonic)]));
        assert.equal(valueOf(store, name), 8);
        assert.equal(store.retriedDeltaPoints(), 1);
        assert.deepEqual(dropCounts(drops), {});
      });

      it('in-process (pushed: false, the SDK never retries) every delta is added, the same window and values included', () => {
        const drops = new DropCounter();
        const store = new SeriesStore(PLAIN, drops, { pushed: false });
        for (let i = 0; i < 3; i++) store.apply(resourceMetrics([sum('c', 'delta', [num(2, T0, T0)], monotonic)]));
        assert.equal(valueOf(store, name), 6);
        assert.deepEqual(dropCounts(drops), {});
      });

      it(`a window older than the last ${MAX_REMEMBERED_WINDOWS} remembered cannot be told from a retry: refused as out of order`, () => {
        const { store, drops } = buildHarness();
        const windows = Array.from({ length: MAX_REMEMBERED_WINDOWS + 1 }, (_, i) => num(1, T0 + i * SECOND, T0 + (i + 1) * SECOND));
        store.apply(resourceMetrics([sum('c', 'delta', windows, monotonic)]));
        const forgotten = store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0, T0 + SECOND)], monotonic)]));
        assert.equal(forgotten.rejectedPoints, 1);
        assert.match(forgotten.errors[0] ?? '', /^out_of_order: metric "c": .*too old to tell/);
        const remembered = store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0 + SECOND, T0 + 2 * SECOND)], monotonic)]));
        assert.deepEqual(remembered, { acceptedPoints: 1, rejectedPoints: 0, errors: [] });
        assert.equal(valueOf(store, name), MAX_REMEMBERED_WINDOWS + 1);
        assert.equal(store.retriedDeltaPoints(), 1);
        assert.deepEqual(dropCounts(drops), { out_of_order: 1 });
      });

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
    assert.deepEqual(result.errors, ['invalid_point: metric "c": a counter increment (monotonic delta) is negative (1 point; series c_total{})']);
    assert.deepEqual([result.acceptedPoints, result.rejectedPoints], [0, 1]);
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
    assert.equal(renderText(store.families()), '# HELP h h (OpenTelemetry histogram; no description given)\n# TYPE h histogram\nh_bucket{le="1"} 5\nh_bucket{le="5"} 7\nh_bucket{le="+Inf"} 11\nh_sum 17\nh_count 11\n');
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

  it('an overlapping delta (another writer) is added bucket by bucket; the same window again (a retry) is not', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T0, T2)])]));
    const overlapping = store.apply(resourceMetrics([histogram('h', 'delta', [hist([2, 0], [1], T1, T3)])]));
    const retried = store.apply(resourceMetrics([histogram('h', 'delta', [hist([1, 1], [1], T0, T2)])]));
    assert.deepEqual([overlapping.rejectedPoints, retried.rejectedPoints], [0, 0]);
    assert.deepEqual((seriesData(store, 'h') as HistogramData).counts, [3, 1]);
    assert.equal(store.retriedDeltaPoints(), 1);
    assert.deepEqual(dropCounts(drops), {});
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

  const lowered: readonly { rule: string; first: OtelMetric; second: OtelMetric; name: string }[] = [
    { rule: 'a counter', first: sum('c', 'cumulative', [num(100, T0, T1)]), second: sum('c', 'cumulative', [num(2, T0, T2)]), name: 'c_total' },
    { rule: 'a histogram count', first: histogram('h', 'cumulative', [hist([5, 5], [1], T0, T1)]), second: histogram('h', 'cumulative', [hist([1, 0], [1], T0, T2)]), name: 'h' },
    {
      rule: 'an exponential histogram count',
      first: exponentialHistogram('e', 'cumulative', [expo(0, { offset: 0, counts: [4] }, T0, T1)]),
      second: exponentialHistogram('e', 'cumulative', [expo(0, { offset: 0, counts: [1] }, T0, T2)]),
      name: 'e',
    },
    { rule: 'a summary count', first: summary('s', [summaryPoint(10, 50, T0, T1)]), second: summary('s', [summaryPoint(2, 4, T0, T2)]), name: 's' },
  ];
  for (const { rule, first, second, name } of lowered) {
    it(`${rule} lower than the last with the same start time is refused (non_monotonic): only a new start time is a reset`, () => {
      const { store, drops } = buildHarness();
      store.apply(resourceMetrics([first]));
      const before = seriesData(store, name);
      const result = store.apply(resourceMetrics([second]));
      assert.equal(result.rejectedPoints, 1);
      assert.match(result.errors[0] ?? '', /^non_monotonic: metric "\w": a cumulative value lower than the last one with the same start time/);
      assert.equal(seriesData(store, name), before);
      assert.deepEqual(dropCounts(drops), { non_monotonic: 1 });
    });
  }

  it('with one writer (in-process: the SDK), a lower count with the same start time is a reset: an observable counter whose source restarted', () => {
    const drops = new DropCounter();
    const store = new SeriesStore(PLAIN, drops, { pushed: false });
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(100, T0, T1)])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(2, T0, T2)])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(7, T0 - SECOND, T3)])]));
    assert.equal(valueOf(store, 'c_total'), 7);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('a gauge or a non-monotonic sum may go down with the same start time', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([sum('u', 'cumulative', [num(100, T0, T1)], false), gauge('g', [num(100, T0, T1)])]));
    store.apply(resourceMetrics([sum('u', 'cumulative', [num(2, T0, T2)], false), gauge('g', [num(2, T0, T2)])]));
    assert.deepEqual([valueOf(store, 'u'), valueOf(store, 'g')], [2, 2]);
    assert.deepEqual(dropCounts(drops), {});
  });

  it('two writers of one series (replicas sharing an identity): the later-started one takes over, the other is refused (multiple_writers)', () => {
    const lines: string[] = [];
    const drops = new DropCounter({ warn: (line) => lines.push(line), debug: () => undefined });
    const store = new SeriesStore(SIDECAR, drops);
    const writer = (value: number, start: number, end: number) =>
      resourceMetrics([sum('c', 'cumulative', [num(value, start, end)]), histogram('h', 'cumulative', [hist([value, 0], [1], start, end)])], { 'service.name': 'shop' });
    const exposed: number[] = [];
    const results = [];
    for (let round = 0; round < 4; round++) {
      results.push(store.apply(writer(1000 + round, T0, T1 + round * 2 * SECOND)), store.apply(writer(10 + round, T0 + SECOND, T1 + (round * 2 + 1) * SECOND)));
      exposed.push(valueOf(store, 'c_total', 'job="shop"') ?? NaN);
    }
    assert.deepEqual(exposed, [10, 11, 12, 13], 'one reset when the later writer took over, never a flip back');
    assert.deepEqual(dropCounts(drops), { multiple_writers: 6 });
    assert.match(results[2]!.errors[0] ?? '', /^multiple_writers: metric "c": a cumulative point that started before the series did: another writer .*service\.instance\.id\) \(1 point; series c_total\{job="shop"\}\)$/);
    const warnings = lines.filter((line) => line.includes('multiple writers'));
    assert.equal(warnings.length, 1, `one warning line per resource: ${JSON.stringify(lines)}`);
    assert.match(warnings[0]!, /\{job="shop"\}.*distinct service\.instance\.id/);
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
      assert.match(result.errors[0] ?? '', /^out_of_order: metric "\w": a point older than the last one accepted/);
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
  it('each point replaces the series, a lower count after a new start time included', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([summary('s', [summaryPoint(10, 50, T0, T1)])]));
    store.apply(resourceMetrics([summary('s', [summaryPoint(2, 4, T1, T2)])]));
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
      error: 'the histogram count (6) is not the sum of its bucket counts (7)',
    },
    {
      rule: 'a count larger than the sum of bucket counts (phantom observations in +Inf)',
      metric: histogram('m', 'cumulative', [hist([3, 4], [1], T0, T1, { count: 9 })]),
      error: 'the histogram count (9) is not the sum of its bucket counts (7)',
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
      error: 'the exponential histogram count (2) is not the sum of its bucket and zero counts (3)',
    },
    {
      rule: 'an exponential count larger than its buckets and zero count',
      metric: exponentialHistogram('m', 'cumulative', [expo(0, { offset: 0, counts: [2] }, T0, T1, { zeroCount: 1, count: 5 })]),
      error: 'the exponential histogram count (5) is not the sum of its bucket and zero counts (3)',
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
      assert.equal(result.rejectedPoints, 1);
      assert.equal(result.acceptedPoints, 1);
      assert.match(result.errors[0] ?? '', new RegExp(`^invalid_point: metric "m": ${escapeRegExp(error)} \\(1 point; series m[_a-z]*\\{\\}\\)$`));
      assert.deepEqual(seriesKeys(store), ['ok{}']);
      assert.deepEqual(dropCounts(drops), { invalid_point: 1 });
    });
  }

  it('a histogram without buckets (count and sum only) is valid: one +Inf bucket', () => {
    const { store } = buildHarness();
    const result = store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([], [], T0, T1, { count: 4, sum: 8 })])]));
    assert.equal(result.acceptedPoints, 1);
    assert.equal(renderText(store.families()), '# HELP h h (OpenTelemetry histogram; no description given)\n# TYPE h histogram\nh_bucket{le="+Inf"} 4\nh_sum 8\nh_count 4\n');
  });

  it('a NaN gauge is a value, not a problem', () => {
    const { store } = buildHarness();
    assert.equal(store.apply(resourceMetrics([gauge('g', [num(NaN, T0, T1)])])).acceptedPoints, 1);
  });

  const metricRefusals: readonly { rule: string; metrics: OtelMetric[]; reason: DropReason; error: RegExp }[] = [
    { rule: 'an invalid metric name refuses all its points', metrics: [gauge('...', [num(1, T0, T1), num(2, T0, T1, { a: '1' })])], reason: 'invalid_metric_name', error: /^invalid_metric_name: metric "\.\.\." has no valid characters$/ },
    {
      rule: 'a type conflict refuses all the points of the second metric',
      metrics: [gauge('x', [num(1, T0, T1)]), histogram('x', 'cumulative', [hist([1], [], T0, T1), hist([1], [], T0, T1, { attributes: { a: '1' } })])],
      reason: 'type_conflict',
      error: /^type_conflict: metric "x" would be a histogram named x, which is already a gauge$/,
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
    assert.deepEqual(result.errors, ['duplicate_series: metric "g": two points for the series at one time in one request (1 point; series g{})']);
    assert.deepEqual([result.acceptedPoints, result.rejectedPoints], [1, 1]);
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

describe("reserved names: the bridge's own metrics always win", () => {
  const reserved: readonly { rule: string; metric: OtelMetric }[] = [
    { rule: 'a counter named like a self-metric', metric: sum('otel_prom_bridge_translation_dropped', 'cumulative', [num(0, T0, T1, { reason: 'out_of_order' })]) },
    { rule: 'a gauge with the prefix', metric: gauge('otel_prom_bridge_series', [num(42, T0, T1)]) },
    { rule: 'a name that translates onto the prefix', metric: gauge('otel.prom.bridge.anything', [num(1, T0, T1)]) },
    { rule: 'one of the names the options reserve', metric: { ...gauge('process.resident.memory', [num(1, T0, T1)]), unit: 'By' } },
    { rule: 'a histogram whose samples would take a reserved name', metric: { ...histogram('nodejs.gc.duration', 'cumulative', [hist([1], [], T0, T1)]), unit: 's' } },
  ];
  for (const { rule, metric } of reserved) {
    it(`${rule}: refused (reserved_name), the rest kept`, () => {
      const drops = new DropCounter();
      const names = new ReservedNames([BRIDGE_METRICS_PREFIX], [
        { name: 'process_resident_memory_bytes', type: 'gauge' },
        { name: 'nodejs_gc_duration_seconds', type: 'histogram' },
      ]);
      const store = new SeriesStore(PLAIN, drops, { reservedNames: names });
      const result = store.apply(resourceMetrics([metric, gauge('ok', [num(1, T0, T1)])]));
      assert.equal(result.rejectedPoints, 1);
      assert.match(result.errors[0] ?? '', /^reserved_name: metric "[\w.]+" as \w+ \w+ would take the name \w+, which the bridge's own metrics use$/);
      assert.deepEqual(seriesKeys(store), ['ok{}']);
      assert.deepEqual(dropCounts(drops), { reserved_name: 1 });
    });
  }

  it('by default (in-process) only the otel_prom_bridge_ prefix is reserved', () => {
    const { store, drops } = buildHarness();
    store.apply(resourceMetrics([{ ...gauge('process.resident.memory', [num(1, T0, T1)]), unit: 'By' }, gauge('otel_prom_bridge_series', [num(42, T0, T1)])]));
    assert.deepEqual(seriesKeys(store), ['process_resident_memory_bytes{}']);
    assert.deepEqual(dropCounts(drops), { reserved_name: 1 });
  });
});

describe('cardinality limit (maxSeries)', () => {
  it('a point that would create a series beyond the limit is refused and counted; existing series go on updating', () => {
    const { store, drops } = buildHarness({}, { maxSeries: 2 });
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(1, T0, T1, { a: '1' }), num(1, T0, T1, { a: '2' })])]));
    const result = store.apply(resourceMetrics([sum('c', 'cumulative', [num(2, T0, T2, { a: '1' }), num(2, T0, T2, { a: '2' }), num(2, T0, T2, { a: '3' }), num(2, T0, T2, { a: '4' })])]));
    assert.deepEqual(result.errors, ['cardinality_limit: metric "c": the limit of 2 series is reached, new series are refused (2 points; series c_total{a="3"}, c_total{a="4"})']);
    assert.deepEqual([result.acceptedPoints, result.rejectedPoints], [2, 2]);
    // The refused points are added into the family's overflow series (test/model/overflowSeries.test.ts), which the limit does not count.
    assert.deepEqual(seriesKeys(store), ['c_total{a="1"}', 'c_total{a="2"}', 'c_total{otel_metric_overflow="true"}']);
    assert.equal(valueOf(store, 'c_total', 'a="1"'), 2);
    assert.equal(valueOf(store, 'c_total', 'otel_metric_overflow="true"'), 4);
    assert.equal(store.seriesCount(), 2);
    assert.deepEqual(dropCounts(drops), { cardinality_limit: 2 });
  });

  it('a metric whose points are all refused at the limit leaves no family behind: ever-new metric names do not pile up', () => {
    const { store, drops } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    for (let i = 0; i < 100; i++) assert.equal(store.apply(resourceMetrics([sum(`job_${i}_runs`, 'cumulative', [num(1, T0, T1)])])).rejectedPoints, 1);
    assert.deepEqual(store.families().map((f) => f.name), ['g']);
    // Nor does its name stay taken: once there is room, it may be a gauge.
    store.apply(resourceMetrics([gauge('g', [num(0, T0, T2, {}, { noRecordedValue: true })])]));
    assert.equal(store.apply(resourceMetrics([gauge('job_0_runs', [num(1, T0, T2)])])).acceptedPoints, 1);
    assert.deepEqual(dropCounts(drops), { cardinality_limit: 100 });
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

describe('target_info and resources (jobAndInstance)', () => {
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
    const { store, drops } = buildHarness({ targetInfo: true });
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
