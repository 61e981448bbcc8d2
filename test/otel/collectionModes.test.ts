import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { PeriodicPrometheusReader, PrometheusExporter, type Logger } from '../../src/index.ts';
import { SeededRandom } from '../helpers/seededRandom.ts';
import { sampleValue, parseSamples } from '../helpers/parseSamples.ts';

/**
 * The periodic reader asks the SDK for the changes since its last collection (delta for
 * synchronous instruments) and adds them up; the drop-in exporter asks for cumulative data and
 * replaces its snapshot. Fed by the same MeterProvider, they must serve the same text.
 */

const silent: Logger = { warn: (message) => assert.fail(`unexpected warning: ${message}`), debug: () => undefined };
const providers: MeterProvider[] = [];

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function createBoth(): { provider: MeterProvider; periodic: PeriodicPrometheusReader; exporter: PrometheusExporter } {
  const periodic = new PeriodicPrometheusReader({ preventServerStart: true, logger: silent, collectIntervalMillis: 3_600_000 });
  const exporter = new PrometheusExporter({ preventServerStart: true, logger: silent });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' }),
    readers: [periodic, exporter],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  providers.push(provider);
  return { provider, periodic, exporter };
}

describe('collection modes: changes added up (periodic reader) serve what cumulative snapshots (exporter) serve', () => {
  it('over 40 seeded rounds of records on every kind of synchronous and observable instrument, each followed by a collection', async () => {
    const random = new SeededRandom(20261125);
    const { provider, periodic, exporter } = createBoth();
    const meter = provider.getMeter('shop', '1.2.0');
    const requests = meter.createCounter('http.server.requests', { unit: '{request}' });
    const active = meter.createUpDownCounter('http.server.active_requests');
    const depth = meter.createGauge('queue.depth');
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.01, 0.1, 1] } });
    const size = meter.createHistogram('payload.size', { unit: 'By' });
    let observedTotal = 0;
    meter.createObservableCounter('pool.connections.created').addCallback((result) => result.observe(observedTotal, { pool: 'main' }));
    const routes: Attributes[] = ['/a', '/b', '/c', '/d', '/e', '/f'].map((route) => ({ 'http.route': route }));

    for (let round = 0; round < 40; round++) {
      // Some series change in a round, most do not; now and then none does.
      for (const attributes of routes) {
        if (!random.chance(0.3)) continue;
        requests.add(random.between(1, 5), attributes);
        active.add(random.between(-2, 3), attributes);
        depth.record(random.between(0, 100), attributes);
        duration.record(random.between(0, 2000) / 1000, attributes);
        size.record(random.between(1, 100_000), attributes);
      }
      observedTotal += random.between(0, 3);
      await periodic.collectNow();
      const fromChanges = await periodic.render();
      const fromSnapshot = await exporter.render();
      assert.equal(fromChanges.body, fromSnapshot.body, `round ${round}`);
    }
    const samples = parseSamples((await periodic.render()).body);
    assert.equal(sampleValue(samples, 'pool_connections_created_total', { pool: 'main' }), observedTotal);
  });

  it('an observable counter whose total goes down (a restarted source) shows the lower total, not a sum', async () => {
    // Alone on its provider: with two readers, the SDK (3.1) itself adds a reset seen by one
    // reader's collection onto the other's cumulative total.
    const periodic = new PeriodicPrometheusReader({ preventServerStart: true, logger: silent, collectIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [periodic] });
    providers.push(provider);
    let total = 0;
    provider.getMeter('pool').createObservableCounter('pool.connections.created').addCallback((result) => result.observe(total, { pool: 'main' }));
    const served: number[] = [];
    for (const observed of [4, 9, 2, 6]) {
      total = observed;
      await periodic.collectNow();
      served.push(sampleValue(parseSamples((await periodic.render()).body), 'pool_connections_created_total', { pool: 'main' }));
    }
    assert.deepEqual(served, [4, 9, 2, 6]);
  });

  it('a series recorded once is still served, unchanged, after collections in which it did not change', async () => {
    const { provider, periodic } = createBoth();
    const requests = provider.getMeter('shop').createCounter('jobs.done');
    requests.add(3, { queue: 'mail' });
    await periodic.collectNow();
    const first = (await periodic.render()).body;
    for (let i = 0; i < 3; i++) await periodic.collectNow();
    assert.equal((await periodic.render()).body, first);
    assert.equal(sampleValue(parseSamples(first), 'jobs_done_total', { queue: 'mail' }), 3);
    requests.add(2, { queue: 'mail' });
    await periodic.collectNow();
    assert.equal(sampleValue(parseSamples((await periodic.render()).body), 'jobs_done_total', { queue: 'mail' }), 5);
  });
});
