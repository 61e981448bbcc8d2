import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { emptyResource } from '@opentelemetry/resources';
import { MeterProvider, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { DEFAULT_COLLECT_INTERVAL_MILLIS, PeriodicPrometheusReader, type PeriodicReaderConfig } from '../../src/index.ts';
import { isListening } from '../helpers/isListening.ts';
import { findSamples, parseSamples, sampleValue } from '../helpers/parseSamples.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { recordingLogger } from '../helpers/recordingLogger.ts';

const FETCH_TIMEOUT_MS = 5_000;

const readers: PeriodicPrometheusReader[] = [];
const providers: MeterProvider[] = [];

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown().catch(() => undefined)));
  await Promise.all(readers.splice(0).map((reader) => reader.stopServer()));
});

/** A reader (serverless unless the config says otherwise) with a recording logger. */
function createReader(config: PeriodicReaderConfig = {}): PeriodicPrometheusReader & { warnings: string[] } {
  const logger = recordingLogger();
  const reader = new PeriodicPrometheusReader({ preventServerStart: true, logger, ...config });
  readers.push(reader);
  return Object.assign(reader, { warnings: logger.warnings });
}

/** A reader listening on a free port of 127.0.0.1 (waits for the constructor callback). */
async function startReader(config: PeriodicReaderConfig = {}): Promise<PeriodicPrometheusReader> {
  let reader: PeriodicPrometheusReader | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the constructor callback was not called within 5 s')), 5_000);
    reader = new PeriodicPrometheusReader({ host: '127.0.0.1', port: 0, logger: recordingLogger(), ...config }, (error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    });
  });
  readers.push(reader!);
  return reader!;
}

function register(reader: PeriodicPrometheusReader): MeterProvider {
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  return provider;
}

/** The sample's value, or undefined while there is none (also before the first collection, when render rejects). */
async function renderedValue(reader: PeriodicPrometheusReader, name: string): Promise<number | undefined> {
  if (!reader.isReady()) return undefined;
  return findSamples(parseSamples((await reader.render()).body), name)[0]?.value;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  return { status: response.status, body: await response.text() };
}

/** Lets pending promise callbacks and I/O run once (not a wait for time to pass). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('PeriodicPrometheusReader', () => {
  it('collects on its interval without being asked', async () => {
    const reader = createReader({ collectIntervalMillis: 50 });
    const counter = register(reader).getMeter('interval-test').createCounter('ticks');
    counter.add(1);
    await pollUntil('the first value to be collected', async () => ((await renderedValue(reader, 'ticks_total')) === 1 ? true : undefined));
    counter.add(2);
    await pollUntil('the new value to be collected', async () => ((await renderedValue(reader, 'ticks_total')) === 3 ? true : undefined));
  });

  it(`collects every ${DEFAULT_COLLECT_INTERVAL_MILLIS} ms by default`, async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const reader = createReader();
    let observations = 0;
    register(reader)
      .getMeter('default-interval')
      .createObservableGauge('observed')
      .addCallback((result) => result.observe(++observations));
    await settle();
    const afterStart = observations;
    t.mock.timers.tick(DEFAULT_COLLECT_INTERVAL_MILLIS - 1);
    await settle();
    assert.equal(observations, afterStart);
    t.mock.timers.tick(1);
    await settle();
    assert.equal(observations, afterStart + 1);
  });

  it('a scrape serves the last collection and does not collect', async () => {
    const reader = await startReader({ collectIntervalMillis: 3_600_000 });
    const meter = register(reader).getMeter('snapshot-test');
    const counter = meter.createCounter('orders');
    let observations = 0;
    meter.createObservableGauge('observations').addCallback((result) => result.observe(++observations));

    counter.add(1);
    await reader.forceFlush();
    const collected = observations;
    const url = reader.address()!.url;
    assert.equal(sampleValue(parseSamples((await get(url)).body), 'orders_total'), 1);

    counter.add(5);
    for (let i = 0; i < 3; i++) {
      const samples = parseSamples((await get(url)).body);
      assert.equal(sampleValue(samples, 'orders_total'), 1, 'a value recorded after the last collection must not show yet');
      assert.equal(sampleValue(samples, 'observations'), collected);
    }
    assert.equal(observations, collected, 'scrapes must not run the SDK’s callbacks');

    await reader.forceFlush();
    assert.equal(sampleValue(parseSamples((await get(url)).body), 'orders_total'), 6);
    assert.equal(observations, collected + 1);
  });

  it('collectNow() collects at once', async () => {
    const reader = createReader({ collectIntervalMillis: 3_600_000 });
    const counter = register(reader).getMeter('collect-now').createCounter('now');
    await reader.collectNow();
    counter.add(7);
    assert.equal(await renderedValue(reader, 'now_total'), undefined);
    await reader.collectNow();
    assert.equal(await renderedValue(reader, 'now_total'), 7);
  });

  it('forceFlush() right after registration includes what was recorded before it', async () => {
    const reader = createReader({ collectIntervalMillis: 3_600_000 });
    // Registration starts a first collection; the flush must not just wait for that one.
    register(reader).getMeter('startup').createCounter('early').add(3);
    await reader.forceFlush();
    assert.equal(await renderedValue(reader, 'early_total'), 3);
  });

  it('forceFlush() during a collection already running still includes what was recorded before the call', async () => {
    const reader = createReader({ collectIntervalMillis: 3_600_000 });
    const provider = register(reader);
    const counter = provider.getMeter('fast').createCounter('events');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let gated = false;
    provider
      .getMeter('slow')
      .createObservableGauge('slow_gauge')
      .addCallback(async (result) => {
        if (gated) await gate;
        result.observe(1);
      });
    await reader.forceFlush();

    counter.add(1);
    gated = true;
    const running = reader.collectNow(); // as the interval timer would
    await settle(); // the fast meter has been read; the slow one waits at the gate
    counter.add(1);
    const flushed = reader.forceFlush();
    open();
    await Promise.all([running, flushed]);
    assert.equal(await renderedValue(reader, 'events_total'), 2);
  });

  it('answers /-/ready 503 before its first collection and 200 after', async () => {
    const reader = await startReader({ collectIntervalMillis: 3_600_000 });
    const { host, port } = reader.address()!;
    const ready = `http://${host}:${port}/-/ready`;
    assert.equal(reader.isReady(), false);
    assert.equal((await get(ready)).status, 503);

    register(reader).getMeter('ready-test').createCounter('ready_events').add(1);
    await reader.forceFlush();
    assert.equal(reader.isReady(), true);
    assert.equal((await get(ready)).status, 200);
    assert.equal(sampleValue(parseSamples((await get(reader.address()!.url)).body), 'ready_events_total'), 1);
  });

  it('a collection before it is registered fails with a warning and leaves it not ready', async () => {
    const reader = createReader();
    await reader.forceFlush();
    assert.equal(reader.isReady(), false);
    assert.equal(reader.warnings.length, 1);
    assert.match(reader.warnings[0]!, /periodic collection failed, serving the previous one: .*not registered with a MeterProvider/);
  });

  it('keeps serving the previous collection when one fails', async () => {
    let failing = false;
    const producer: MetricProducer = {
      collect: async () => {
        if (failing) throw new Error('producer exploded');
        return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [] }, errors: [] };
      },
    };
    const logger = recordingLogger();
    const reader = new PeriodicPrometheusReader({ preventServerStart: true, logger, collectIntervalMillis: 3_600_000, metricProducers: [producer] });
    readers.push(reader);
    const counter = register(reader).getMeter('failure-test').createCounter('kept');
    counter.add(2);
    await reader.forceFlush();
    assert.equal(await renderedValue(reader, 'kept_total'), 2);

    failing = true;
    counter.add(3);
    await reader.forceFlush();
    assert.equal(await renderedValue(reader, 'kept_total'), 2);
    assert.ok(logger.warnings.some((warning) => /periodic collection failed, serving the previous one: .*producer exploded/.test(warning)), logger.warnings.join('\n'));
    assert.equal(reader.isReady(), true);
  });

  it('shutdown stops the timer', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const reader = createReader({ collectIntervalMillis: 1_000 });
    const provider = register(reader);
    let observations = 0;
    provider
      .getMeter('shutdown-test')
      .createObservableGauge('observed')
      .addCallback((result) => result.observe(++observations));
    await settle();
    const before = observations;
    t.mock.timers.tick(1_000);
    await settle();
    assert.equal(observations, before + 1, 'the timer should collect while running');

    await provider.shutdown();
    const atShutdown = observations;
    t.mock.timers.tick(10_000);
    await settle();
    assert.equal(observations, atShutdown);
  });

  it('shutdown closes its server', async () => {
    const reader = await startReader({ collectIntervalMillis: 50 });
    const provider = register(reader);
    const port = reader.address()!.port;
    await provider.shutdown();
    assert.equal(reader.address(), undefined);
    assert.equal(await isListening(port), false);
  });

  for (const collectIntervalMillis of [0, -5, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects collectIntervalMillis ${String(collectIntervalMillis)} with a RangeError naming the option`, () => {
      assert.throws(() => new PeriodicPrometheusReader({ preventServerStart: true, collectIntervalMillis }), {
        name: 'RangeError',
        message: `PeriodicPrometheusReader option collectIntervalMillis must be a positive number of milliseconds; got ${String(collectIntervalMillis)}.`,
      });
    });
  }
});
