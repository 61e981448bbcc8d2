/**
 * `SeriesStore.seriesByJobAndInstance()`: the metric series held per job/instance, read from the
 * series' labels, without `target_info`, following expiry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobInstanceKey } from '../../src/model/seriesByJobAndInstance.ts';
import { buildHarness, gauge, histogram, hist, MINUTE, num, resourceMetrics, SIDECAR, sum, T0 } from './storeFixtures.ts';

describe('SeriesStore.seriesByJobAndInstance', () => {
  it('counts each resource\'s metric series (a histogram is one), target_info left out', () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(
      resourceMetrics(
        [sum('orders', 'cumulative', [num(1, T0, T0, { region: 'eu' }), num(2, T0, T0, { region: 'us' })]), histogram('latency', 'cumulative', [hist([1, 0], [1], T0, T0)])],
        { 'service.name': 'checkout', 'service.instance.id': 'pod-1' },
      ),
    );
    store.apply(resourceMetrics([gauge('stock', [num(5, undefined, T0)])], { 'service.name': 'inventory' }));
    store.apply(resourceMetrics([gauge('anonymous', [num(1, undefined, T0)])]));

    assert.deepEqual(
      [...store.seriesByJobAndInstance()].sort(),
      [
        [jobInstanceKey('', ''), { job: '', instance: '', series: 1 }],
        [jobInstanceKey('checkout', 'pod-1'), { job: 'checkout', instance: 'pod-1', series: 3 }],
        [jobInstanceKey('inventory', ''), { job: 'inventory', instance: '', series: 1 }],
      ].sort(),
    );
    assert.equal(store.seriesCount(), 5);
  });

  it('forgets what expired', () => {
    const { store, clock } = buildHarness(SIDECAR, { metricExpirationMs: 5 * MINUTE });
    store.apply(resourceMetrics([gauge('g', [num(1, undefined, T0)])], { 'service.name': 'quiet' }));
    clock.advance(5 * MINUTE);
    store.sweep();
    assert.deepEqual(store.seriesByJobAndInstance(), new Map());
  });

  it('keys are distinct for any job and instance text', () => {
    assert.notEqual(jobInstanceKey('a"', 'b'), jobInstanceKey('a', '"b'));
    assert.notEqual(jobInstanceKey('a\u0000', 'b'), jobInstanceKey('a', '\u0000b'));
  });
});
