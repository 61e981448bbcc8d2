import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WrittenSeries } from '../../src/model/changeFeed.ts';
import { buildHarness, gauge, MINUTE, num, resourceMetrics, SECOND, SIDECAR, sum, T0 } from './storeFixtures.ts';

const T1 = T0 + 10 * SECOND;
const T2 = T0 + 20 * SECOND;

/** `name{labels}` of each series, sorted. */
function keysOf(series: readonly Pick<WrittenSeries, 'family' | 'series'>[]): string[] {
  return series.map(({ family, series }) => `${family.name}{${series.labelText}}`).sort();
}

/** `count` points of the gauge `g`, one per series `s0`… */
function manySeries(count: number, value: number, endMs: number) {
  return gauge('g', Array.from({ length: count }, (_, i) => num(value, T0, endMs, { s: `s${i}` })));
}

describe('SeriesStore change feed: series written since a generation', () => {
  it('every apply takes a new generation; the series it wrote are written since the one before', () => {
    const { store } = buildHarness();
    const start = store.generation();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' }), num(2, T0, T1, { a: '2' })])]));
    const afterFirst = store.generation();
    assert.ok(afterFirst > start);
    assert.deepEqual(keysOf(store.writtenSince(start).series), ['g{a="1"}', 'g{a="2"}']);
    store.apply(resourceMetrics([gauge('g', [num(3, T0, T2, { a: '2' })])]));
    assert.deepEqual(keysOf(store.writtenSince(afterFirst).series), ['g{a="2"}']);
    assert.deepEqual(keysOf(store.writtenSince(store.generation()).series), []);
  });

  it('a series written in several generations since is given once', () => {
    const { store } = buildHarness();
    const start = store.generation();
    for (let i = 0; i < 5; i++) store.apply(resourceMetrics([sum('c', 'cumulative', [num(i, T0, T1 + i * SECOND)])]));
    assert.deepEqual(keysOf(store.writtenSince(start).series), ['c_total{}']);
  });

  it('a refused point writes nothing: past the series limit (only its family\'s overflow series), out of order', () => {
    const { store } = buildHarness({}, { maxSeries: 1 });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T2, { a: '1' })])]));
    const since = store.generation();
    const result = store.apply(resourceMetrics([gauge('g', [num(2, T0, T2, { a: '2' }), num(3, T0, T1, { a: '1' })])]));
    assert.equal(result.rejectedPoints, 2);
    assert.deepEqual(keysOf(store.writtenSince(since).series), ['g{otel_metric_overflow="true"}']);
  });

  it('few changes cost in proportion to them, not to the series held', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([manySeries(10_000, 1, T1)]));
    const since = store.generation();
    store.apply(resourceMetrics([gauge('g', [num(2, T0, T2, { s: 's5' }), num(2, T0, T2, { s: 's7' })])]));
    const answer = store.writtenSince(since);
    assert.deepEqual(keysOf(answer.series), ['g{s="s5"}', 'g{s="s7"}']);
    assert.ok(answer.visitedEntries <= 4, `visited ${answer.visitedEntries} entries`);
  });

  it('its log stays within twice the series however often they are written', () => {
    const { store } = buildHarness();
    for (let round = 0; round < 20; round++) store.apply(resourceMetrics([manySeries(100, round, T1 + round * SECOND)]));
    const all = store.writtenSince(0);
    assert.equal(all.series.length, 100);
    assert.ok(all.visitedEntries <= 2 * 100 + 16 + 20, `visited ${all.visitedEntries} entries`);
  });

  it('every series an apply wrote is written since the generation before it, through every compaction of the logs', () => {
    // A few series of 200 written per apply, for many applies: each family log and the log of
    // families are compacted again and again, also while an apply is writing its first entry.
    const { store, clock } = buildHarness();
    let seed = 12_345;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
    for (let step = 0; step < 400; step++) {
      const since = store.generation();
      const written = Array.from({ length: 200 }, (_, i) => i).filter(() => random() < 0.3);
      store.apply(resourceMetrics([gauge('g', written.map((i) => num(step, T0, T0 + (step + 1) * SECOND, { s: `s${i}` })))]));
      clock.advance(SECOND);
      assert.deepEqual(keysOf(store.writtenSince(since).series), written.map((i) => `g{s="s${i}"}`).sort(), `apply ${step}`);
    }
  });

  it('replaceWith: series written over in place are written again', () => {
    const { store } = buildHarness();
    store.replaceWith(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' })])]));
    const since = store.generation();
    store.replaceWith(resourceMetrics([gauge('g', [num(1, T0, T2, { a: '1' })])]));
    assert.deepEqual(keysOf(store.writtenSince(since).series), ['g{a="1"}']);
  });
});

describe('SeriesStore change feed: series removed since a generation', () => {
  it('expired series are removed in the sweep\'s generation, with their last labels and data', () => {
    const { store, clock } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: 'old' })])]));
    clock.advance(4 * MINUTE);
    store.apply(resourceMetrics([gauge('g', [num(2, T0, T1, { a: 'fresh' })])]));
    const since = store.generation();
    clock.advance(2 * MINUTE);
    assert.equal(store.sweep(), 1);
    const removed = store.removedSince(since);
    assert.deepEqual(keysOf(removed?.series ?? []), ['g{a="old"}']);
    assert.ok(removed!.series[0]!.generation > since);
    assert.deepEqual(removed!.series[0]!.series.labels, [['a', 'old']]);
    assert.deepEqual(store.removedSince(store.generation())?.series, []);
    assert.deepEqual(keysOf(store.writtenSince(0).series), ['g{a="fresh"}'], 'a removed series is no longer written');
  });

  it('a point without a recorded value removes its series', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' })])]));
    const since = store.generation();
    store.apply(resourceMetrics([gauge('g', [num(0, T0, T2, { a: '1' }, { noRecordedValue: true })])]));
    assert.deepEqual(keysOf(store.removedSince(since)?.series ?? []), ['g{a="1"}']);
  });

  it('replaceWith: series and families the new snapshot does not name are removed', () => {
    const { store } = buildHarness();
    store.replaceWith(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' }), num(1, T0, T1, { a: '2' })]), gauge('h', [num(1, T0, T1)])]));
    const since = store.generation();
    store.replaceWith(resourceMetrics([gauge('g', [num(1, T0, T2, { a: '1' })])]));
    assert.deepEqual(keysOf(store.removedSince(since)?.series ?? []), ['g{a="2"}', 'h{}']);
  });

  it('a resource whose attributes change replaces its target_info: the old one is removed', () => {
    const { store } = buildHarness(SIDECAR);
    const resource = { 'service.name': 'svc', 'service.instance.id': 'i-1', zone: 'a' };
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])], resource));
    const since = store.generation();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T2)])], { ...resource, zone: 'b' }));
    assert.deepEqual(keysOf(store.removedSince(since)?.series ?? []), ['target_info{instance="i-1",job="svc",zone="a"}']);
    assert.deepEqual(keysOf(store.writtenSince(since).series), ['g{instance="i-1",job="svc"}', 'target_info{instance="i-1",job="svc",zone="b"}']);
  });

  it('the last removals are remembered, at least as many as the store holds (and 1,024), at most twice: older questions get undefined', () => {
    const { store, clock } = buildHarness();
    const start = store.generation();
    for (let round = 0; round < 3; round++) {
      store.apply(resourceMetrics([manySeries(1000, 1, T1 + round * SECOND)]));
      clock.advance(10 * MINUTE);
      store.sweep();
    }
    assert.equal(store.removedSince(start), undefined, '3,000 removals: the first ones are let go');
    const recent = store.removedSince(store.generation() - 1);
    assert.equal(recent?.series.length, 1000, 'the last sweep is still known');
  });

  it('clear() is a reset: removals from before it cannot be told', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    const since = store.generation();
    store.clear();
    assert.equal(store.removedSince(since), undefined);
    assert.deepEqual(store.removedSince(store.generation())?.series, []);
    assert.deepEqual(store.writtenSince(0).series, []);
  });
});
