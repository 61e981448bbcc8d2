import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ExpirySweeper } from '../../src/model/expirySweeper.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import { buildHarness, dropCounts, gauge, hist, histogram, MINUTE, num, PLAIN, plainData, resourceMetrics, SECOND, seriesKeys, T0 } from './storeFixtures.ts';

const T1 = T0 + 10 * SECOND;

describe('expiry: sweep(nowMs)', () => {
  it('removes series not updated for metricExpirationMs (5 minutes by default) and says how many', () => {
    const { store, clock } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: 'old' })])]));
    clock.advance(MINUTE);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: 'new' })])]));
    clock.advance(4 * MINUTE - 1);
    assert.equal(store.sweep(), 0, 'not yet 5 minutes');
    clock.advance(1);
    assert.equal(store.sweep(), 1);
    assert.deepEqual(seriesKeys(store), ['g{a="new"}']);
    assert.equal(store.seriesCount(), 1);
  });

  it('a series is updated by points received, whatever their own timestamps', () => {
    const { store, clock } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    clock.advance(4 * MINUTE);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    clock.advance(4 * MINUTE);
    assert.equal(store.sweep(), 0);
  });

  it('a refused point does not keep its series alive', () => {
    const { store, clock, drops } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    clock.advance(4 * MINUTE);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T0)])]));
    clock.advance(MINUTE);
    assert.equal(store.sweep(), 1);
    assert.deepEqual(dropCounts(drops), { out_of_order: 1 });
  });

  it('apply and sweep take explicit times too', () => {
    const { store } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]), 1_000);
    assert.equal(store.sweep(1_000 + 5 * MINUTE - 1), 0);
    assert.equal(store.sweep(1_000 + 5 * MINUTE), 1);
  });

  it('metricExpirationMs is an option', () => {
    const { store, clock } = buildHarness({}, { metricExpirationMs: 30 * SECOND });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    clock.advance(30 * SECOND);
    assert.equal(store.sweep(), 1);
  });

  it('families left empty disappear and release their names', () => {
    const { store, clock, drops } = buildHarness();
    store.apply(resourceMetrics([gauge('foo_count', [num(42, T0, T1)])]));
    store.apply(resourceMetrics([histogram('foo', 'cumulative', [hist([1], [], T0, T1)])]));
    assert.deepEqual(dropCounts(drops), { name_conflict: 1 });
    clock.advance(5 * MINUTE);
    store.sweep();
    assert.deepEqual(store.families(), []);
    const result = store.apply(resourceMetrics([histogram('foo', 'cumulative', [hist([1], [], T0, T1)])]));
    assert.equal(result.acceptedPoints, 1, 'the histogram may take the name now');
    assert.deepEqual(seriesKeys(store), ['foo{}']);
  });

  it('a delta series that expired starts from zero again', () => {
    const { store, clock } = buildHarness();
    store.apply(resourceMetrics([{ kind: 'sum', monotonic: true, temporality: 'delta', name: 'c', unit: '', description: '', points: [num(5, T0, T1)] }]));
    clock.advance(5 * MINUTE);
    store.sweep();
    store.apply(resourceMetrics([{ kind: 'sum', monotonic: true, temporality: 'delta', name: 'c', unit: '', description: '', points: [num(2, T1, T1 + SECOND)] }]));
    const data = store.families()[0]?.series.get('')?.data;
    assert.deepEqual(plainData(data), { kind: 'number', value: 2 });
  });
});

describe('expiry: startExpirySweep / stopExpirySweep', () => {
  afterEach(() => mock.timers.reset());

  it('sweeps every intervalMs (default a tenth of metricExpirationMs) until stopped', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const { store, clock } = buildHarness({}, { metricExpirationMs: 60 * SECOND });
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    store.startExpirySweep();
    clock.advance(60 * SECOND);
    mock.timers.tick(5 * SECOND);
    assert.equal(store.seriesCount(), 1, 'no sweep before the interval');
    mock.timers.tick(1 * SECOND);
    assert.equal(store.seriesCount(), 0);

    store.stopExpirySweep();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    clock.advance(60 * SECOND);
    mock.timers.tick(60 * SECOND);
    assert.equal(store.seriesCount(), 1, 'stopped: nothing swept');
  });

  it('an explicit interval', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const { store, clock } = buildHarness();
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1)])]));
    store.startExpirySweep(1000);
    clock.advance(5 * MINUTE);
    mock.timers.tick(1000);
    assert.equal(store.seriesCount(), 0);
    store.stopExpirySweep();
  });

  it('the timer does not keep the process alive (unref)', () => {
    const store = new SeriesStore(PLAIN, new DropCounter());
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    store.startExpirySweep(60_000);
    assert.equal(timeouts(), before);
    store.stopExpirySweep();
    store.stopExpirySweep(); // idempotent
  });

  it('ExpirySweeper refuses a nonsense interval, in a sentence', () => {
    const sweeper = new ExpirySweeper(() => 0);
    for (const interval of [0, -1, NaN, Infinity]) {
      assert.throws(() => sweeper.start(interval), { name: 'RangeError', message: `The expiry sweep interval must be a positive number of milliseconds; got ${interval}.` });
    }
    assert.equal(sweeper.running, false);
  });
});

describe('SeriesStore options are checked at construction', () => {
  const rows = [
    { options: { metricExpirationMs: 0 }, message: 'SeriesStore option metricExpirationMs must be a positive number of milliseconds; got 0.' },
    { options: { metricExpirationMs: Infinity }, message: 'SeriesStore option metricExpirationMs must be a positive number of milliseconds; got Infinity.' },
    { options: { maxSeries: -1 }, message: 'SeriesStore option maxSeries must be a whole number of series (0 or more), or Infinity for no limit; got -1.' },
    { options: { maxSeries: 1.5 }, message: 'SeriesStore option maxSeries must be a whole number of series (0 or more), or Infinity for no limit; got 1.5.' },
  ];
  for (const { options, message } of rows) {
    it(message, () => assert.throws(() => new SeriesStore(PLAIN, new DropCounter(), options), { name: 'RangeError', message }));
  }
});
