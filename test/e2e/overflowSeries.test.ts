/**
 * The overflow series through a real Prometheus 2.42: a sidecar with a series limit of 4, two
 * services (real MeterProviders, the official OTLP exporters; one cumulative, one delta) that go on
 * creating series past it. The points refused are added into `otel_metric_overflow="true"`, one
 * series per family, so that `sum()` over each family in PromQL is what the services recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { quietLogger, startSidecar, TIMEOUT_MS, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { stopAll } from '../helpers/stopAll.ts';

const SCRAPE_JOB = 'sidecar';

function pusher(exporter: PushMetricExporter, service: string): { provider: MeterProvider; reader: PeriodicExportingMetricReader } {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1` }), readers: [reader] });
  return { provider, reader };
}

describe('overflow series: sums over a family stay right past the series limit (real Prometheus)', { skip: skipUnlessInstalled(['prometheus']), timeout: 90_000 }, () => {
  let running: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;
  const providers: MeterProvider[] = [];
  let ordersTotal = 0;
  let eventsTotal = 0;

  before(async () => {
    requireExecutable('prometheus');
    running = await startSidecar({ logger: quietLogger, maxSeries: 4 });
    const { otlpHttp, otlpGrpc } = running.addresses;
    const shop = pusher(new JsonExporter({ url: otlpHttp.url, timeoutMillis: TIMEOUT_MS, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE }), 'shop');
    const events = pusher(new GrpcExporter({ url: otlpGrpc.url, timeoutMillis: TIMEOUT_MS, temporalityPreference: AggregationTemporalityPreference.DELTA }), 'events');
    providers.push(shop.provider, events.provider);
    const orders = shop.provider.getMeter('overflow-e2e').createCounter('orders', { description: 'Orders taken.' });
    const seen = events.provider.getMeter('overflow-e2e').createCounter('events', { description: 'Events seen.' });
    const add = (kind: 'orders' | 'events', value: number, key: string): void => {
      if (kind === 'orders') {
        orders.add(value, { customer: key });
        ordersTotal += value;
      } else {
        seen.add(value, { source: key });
        eventsTotal += value;
      }
    };
    const flush = () => Promise.all([shop.reader.forceFlush(), events.reader.forceFlush()]);
    // Two series each: the limit of 4 is reached.
    add('orders', 1, 'c0');
    add('orders', 2, 'c1');
    add('events', 10, 's0');
    add('events', 20, 's1');
    await flush();
    // New series past the limit, and the existing ones go on.
    for (let i = 2; i < 7; i++) add('orders', i, `c${i}`);
    for (let i = 2; i < 6; i++) add('events', 10 * i, `s${i}`);
    add('orders', 5, 'c0');
    add('events', 5, 's0');
    await flush();
    // The refused series again: cumulative points replace their last contribution, deltas add.
    add('orders', 7, 'c3');
    add('orders', 1, 'c6');
    add('events', 3, 's4');
    add('events', 4, 's5');
    await flush();
    await flush(); // nothing new: a cumulative repeat changes nothing, an empty delta adds nothing

    prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: SCRAPE_JOB, target: running.addresses.metrics.url }] });
    await prometheus.waitForScrapes(2);
  });

  after(() => stopAll([() => prometheus?.stop(), ...providers.map((provider) => () => provider.shutdown()), () => running?.sidecar.stop()]));

  async function scalar(promql: string): Promise<number[]> {
    assert.ok(prometheus);
    return (await prometheus.queryVector(promql)).map((sample) => Number(sample.value[1]));
  }

  it('sum() over each family is what was recorded (cumulative and delta pushers)', async () => {
    assert.deepEqual(await scalar('sum(orders_total)'), [ordersTotal]);
    assert.deepEqual(await scalar('sum(events_total)'), [eventsTotal]);
  });

  it('one overflow series per family, beside the series held; the limit still holds and the refused points are counted', async () => {
    assert.deepEqual(await scalar('count(orders_total{otel_metric_overflow="true"})'), [1]);
    assert.deepEqual(await scalar('count(events_total{otel_metric_overflow="true"})'), [1]);
    assert.deepEqual(await scalar('count({__name__=~"orders_total|events_total", otel_metric_overflow=""})'), [4]);
    assert.deepEqual(await scalar('otel_prom_bridge_series'), [4]);
    const [refused] = await scalar('otel_prom_bridge_translation_dropped_total{reason="cardinality_limit"}');
    assert.ok(refused !== undefined && refused >= 9, `refused points counted: ${String(refused)}`);
  });
});
