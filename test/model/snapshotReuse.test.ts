import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildHarness, family, hist, histogram, num, resourceMetrics, sum, T0 } from './storeFixtures.ts';

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
    assert.deepEqual(dataOf('c_total'), { kind: 'number', value: 2 });
  });
});
