/**
 * The overflow series (`otel_metric_overflow="true"`): points the series limit refuses are added
 * into one series per family, so that sums over the family stay right; they are still refused,
 * counted and reported.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OVERFLOW_LABEL_TEXT, OverflowSeries } from '../../src/model/overflowSeries.ts';
import type { WriteStamp } from '../../src/model/writeStamp.ts';
import {
  buildHarness,
  dropCounts,
  expo,
  exponentialHistogram,
  gauge,
  hist,
  histogram,
  MINUTE,
  num,
  plainData,
  resourceMetrics,
  seriesData,
  seriesKeys,
  sum,
  T0,
  valueOf,
} from './storeFixtures.ts';

const T1 = T0 + 10_000;
const T2 = T0 + 20_000;
const T3 = T0 + 30_000;
const OVERFLOW = OVERFLOW_LABEL_TEXT;

describe('overflow series: points refused at the series limit are added into one series per family', () => {
  it('delta sums are added; a retried window of the same refused series is not added twice', () => {
    const { store, drops } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0, T1, { a: '1' })])]));
    const result = store.apply(resourceMetrics([sum('c', 'delta', [num(3, T0, T1, { a: '2' }), num(4, T0, T1, { a: '3' })])]));
    assert.deepEqual([result.acceptedPoints, result.rejectedPoints], [0, 2], 'still refused and reported');
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 7);
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T1, T2, { a: '2' })])]));
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 8);
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T1, T2, { a: '2' })])])); // the same export again (a lost answer)
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 8);
    assert.deepEqual(dropCounts(drops), { cardinality_limit: 4 });
    assert.equal(store.seriesCount(), 1, 'the overflow series is not counted against the limit');
  });

  it('cumulative counters: the sum of each refused series\' latest value; a reset adds its new value whole (never down)', () => {
    const { store } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(1, T0, T1, { a: '1' })])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(5, T0, T1, { a: '2' }), num(7, T0, T1, { a: '3' })])]));
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 12);
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(9, T0, T2, { a: '2' })])]));
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 16, '12 − 5 + 9');
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(2, T2, T3, { a: '3' })])])); // a=3 restarted
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 18, 'its 2 added, its 7 kept: the total never goes down');
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(3, T2, T3, { a: '3' })])]));
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 19);
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(100, T0, T1, { a: '2' })])])); // older than its last point
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 19);
  });

  it('gauges: the sum of the latest values, which may go down; a refused series gone quiet leaves the sum when it would have expired', () => {
    const { store, clock } = buildHarness({}, { maxSeries: 1, metricExpirationMs: 5 * MINUTE });
    store.apply(resourceMetrics([gauge('queue', [num(1, undefined, T1, { q: 'kept' })])]));
    store.apply(resourceMetrics([gauge('queue', [num(10, undefined, T1, { q: 'a' }), num(5, undefined, T1, { q: 'b' })])]));
    assert.equal(valueOf(store, 'queue', OVERFLOW), 15);
    store.apply(resourceMetrics([gauge('queue', [num(4, undefined, T2, { q: 'a' })])]));
    assert.equal(valueOf(store, 'queue', OVERFLOW), 9);
    clock.advance(4 * MINUTE);
    store.apply(resourceMetrics([gauge('queue', [num(6, undefined, T3, { q: 'b' }), num(2, undefined, T3, { q: 'kept' })])]));
    assert.equal(valueOf(store, 'queue', OVERFLOW), 10);
    clock.advance(2 * MINUTE); // q=a silent for 6 minutes, q=b for 2
    store.sweep();
    assert.equal(valueOf(store, 'queue', OVERFLOW), 6, 'q=a\'s 4 left with it');
  });

  it('histograms: bucket by bucket, count and sum', () => {
    const { store } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([1, 0], [1], T0, T1, { attributes: { a: '1' } })])]));
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([1, 2], [1], T0, T1, { attributes: { a: '2' } }), hist([0, 4], [1], T0, T1, { attributes: { a: '3' } })])]));
    assert.deepEqual(plainData(seriesData(store, 'h', OVERFLOW)), { kind: 'histogram', bounds: [1], counts: [1, 6], count: 7, sum: 7 });
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([2, 2], [1], T0, T2, { attributes: { a: '2' } })])]));
    assert.deepEqual(plainData(seriesData(store, 'h', OVERFLOW)), { kind: 'histogram', bounds: [1], counts: [2, 6], count: 8, sum: 8 });
    // Other bounds cannot be added: refused only.
    store.apply(resourceMetrics([histogram('h', 'cumulative', [hist([1, 1, 1], [1, 5], T0, T1, { attributes: { a: '4' } })])]));
    assert.equal((seriesData(store, 'h', OVERFLOW) as { count: number }).count, 8);
  });

  it('the overflow series is created past the limit, only in a family that holds series; exponential histograms are not added', () => {
    const { store, drops } = buildHarness({}, { maxSeries: 2 });
    store.apply(resourceMetrics([gauge('g', [num(1, undefined, T1, { a: '1' })]), sum('c', 'cumulative', [num(1, T0, T1, { a: '1' })])]));
    store.apply(resourceMetrics([gauge('g', [num(2, undefined, T1, { a: '2' })]), sum('c', 'cumulative', [num(3, T0, T1, { a: '2' })])]));
    store.apply(resourceMetrics([sum('fresh', 'cumulative', [num(1, T0, T1)]), exponentialHistogram('e', 'cumulative', [expo(0, { offset: 0, counts: [1] }, T0, T1)])]));
    assert.deepEqual(seriesKeys(store), ['c_total{a="1"}', `c_total{${OVERFLOW}}`, 'g{a="1"}', `g{${OVERFLOW}}`]);
    assert.equal(store.seriesCount(), 2);
    assert.deepEqual(dropCounts(drops), { cardinality_limit: 4 });
  });

  it('a point the pusher labelled otel_metric_overflow="true" itself (an SDK\'s own limit) is added into it, accepted', () => {
    const { store } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([sum('c', 'delta', [num(1, T0, T1, { a: '1' })])]));
    store.apply(resourceMetrics([sum('c', 'delta', [num(3, T0, T1, { a: '2' })])]));
    const result = store.apply(resourceMetrics([sum('c', 'delta', [num(5, T1, T2, { 'otel.metric.overflow': true })])]));
    assert.equal(result.acceptedPoints, 1);
    assert.equal(valueOf(store, 'c_total', OVERFLOW), 8);
  });

  it('the whole overflow series expires once no refused point has touched it for the expiration time', () => {
    const { store, clock } = buildHarness({}, { maxSeries: 1, metricExpirationMs: MINUTE });
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(1, T0, T1, { a: '1' })])]));
    store.apply(resourceMetrics([sum('c', 'cumulative', [num(3, T0, T1, { a: '2' })])]));
    clock.advance(MINUTE + 1);
    assert.equal(store.sweep(), 1, 'the metric series; the overflow series is not counted');
    assert.deepEqual(seriesKeys(store), []);
  });
});

describe('OverflowSeries: the bounded memory of refused series', () => {
  const stamp: WriteStamp = { generation: 1, receivedAtMs: T0, timeMs: T1, startTimeMs: T0, temporality: 'cumulative', deltaWindows: undefined };
  const point = (labelText: string, value: number, temporality: 'cumulative' | 'delta' = 'cumulative') =>
    ({ labelText, data: { kind: 'number', value }, temporality, monotonic: true, startTimeMs: T0, timeMs: T1 }) as const;

  it('past the budget a cumulative point of a series not remembered is not added (it would be counted again on its next point); deltas are still added', () => {
    const budget = { used: 0, max: 2 };
    const series = new OverflowSeries({ kind: 'number', value: 0 }, stamp, budget);
    assert.equal(series.add(point('a', 1), T0), 'added');
    assert.equal(series.add(point('b', 2), T0), 'added');
    assert.equal(series.add(point('c', 4), T0), 'not_added');
    assert.equal(series.add(point('d', 8, 'delta'), T0), 'added');
    assert.equal(series.add(point('a', 5), T0), 'added', 'a remembered series goes on');
    assert.deepEqual([series.data, series.contributions, budget.used], [{ kind: 'number', value: 15 }, 2, 2]);
    assert.equal(series.expireContributions(T0, true), 2);
    assert.deepEqual([series.data, budget.used], [{ kind: 'number', value: 15 }, 0]);
  });
});
