import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/exposition/text/textFormat.ts';
import { buildHarness, family, gauge, hist, histogram, num, plainData, resourceMetrics, sum, T0 } from './storeFixtures.ts';

describe('replaceWith: a series whose numbers did not change keeps its data object (the exposition may have its text)', () => {
  it('counters and histograms: kept while the same, replaced once changed', () => {
    const { store } = buildHarness();
    const attributes = { route: '/a' };
    const collect = (value: number, counts: number[], endMs: number) =>
      store.replaceWith(
        resourceMetrics([
          sum('c', 'cumulative', [num(value, T0, endMs, attributes)]),
          histogram('h', 'cumulative', [hist(counts, [1, 5], T0, endMs, { attributes })]),
        ]),
      );
    const dataOf = (name: string) => family(store, name)?.series.get('route="/a"')?.data;

    collect(1, [1, 2, 3], T0 + 1000);
    const [counter, buckets] = [dataOf('c_total'), dataOf('h')];
    collect(1, [1, 2, 3], T0 + 2000);
    assert.equal(dataOf('c_total'), counter);
    assert.equal(dataOf('h'), buckets);
    assert.equal(family(store, 'c_total')?.series.get('route="/a"')?.timeMs, T0 + 2000, 'the time is the new one');

    collect(2, [1, 2, 4], T0 + 3000);
    assert.notEqual(dataOf('c_total'), counter);
    assert.notEqual(dataOf('h'), buckets);
    assert.deepEqual(plainData(dataOf('c_total')), { kind: 'number', value: 2 });
  });
});

describe('replaceWith gives what clear() then apply() gives, collection after collection', () => {
  // The SDK hands back one attributes object per series on every collection: the label cache keys on it.
  const a = { route: '/a' };
  const b = { route: '/b' };
  const c = { route: '/c' };
  const bAsNumber = { route: 1 }; // another object whose label text equals that of `one`
  const one = { route: '1' };
  const collections = [
    // 1: counters, a histogram and target_info
    [sum('requests', 'cumulative', [num(1, T0, T0 + 1000, a), num(2, T0, T0 + 1000, b)]), histogram('latency', 'cumulative', [hist([1, 1, 0], [1, 5], T0, T0 + 1000, { attributes: a })])],
    // 2: /b is gone, /c is new; the histogram is gone
    [sum('requests', 'cumulative', [num(3, T0, T0 + 2000, a), num(1, T0, T0 + 2000, c)])],
    // 3: `requests` becomes a gauge (another family), the histogram is back
    [gauge('requests', [num(7, undefined, T0 + 3000, a)]), histogram('latency', 'cumulative', [hist([2, 1, 0], [1, 5], T0, T0 + 3000, { attributes: a })])],
    // 4: back to a counter; two points with one label text (the first is kept, the second refused as a duplicate)
    [sum('requests', 'cumulative', [num(4, T0, T0 + 4000, one), num(9, T0, T0 + 4000, bAsNumber)])],
    // 5: a series with no recorded value, another unchanged, another reset
    [sum('requests', 'cumulative', [num(0, T0, T0 + 5000, one, { noRecordedValue: true }), num(1, T0 + 4500, T0 + 5000, a)])],
    // 6: nothing at all
    [],
    // 7: everything again
    [sum('requests', 'cumulative', [num(5, T0, T0 + 7000, a), num(6, T0, T0 + 7000, b)]), histogram('latency', 'cumulative', [hist([3, 1, 0], [1, 5], T0, T0 + 7000, { attributes: a })])],
  ];

  it('renders the same text, holds as many series and reports the same result after each', () => {
    const replaced = buildHarness({ targetInfo: true });
    for (const [i, metrics] of collections.entries()) {
      const data = resourceMetrics(metrics, { 'service.name': 'shop' });
      const fresh = buildHarness({ targetInfo: true });
      const expected = fresh.store.apply(data, T0 + i * 1000);
      const got = replaced.store.replaceWith(data, T0 + i * 1000);
      assert.deepEqual(got, expected, `collection ${i + 1}: apply result`);
      assert.equal(renderText(replaced.store.families()), renderText(fresh.store.families()), `collection ${i + 1}: exposition`);
      assert.equal(replaced.store.seriesCount(), fresh.store.seriesCount(), `collection ${i + 1}: series count`);
    }
  });
});
