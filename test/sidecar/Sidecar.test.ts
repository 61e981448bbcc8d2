import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Sidecar } from '../../src/sidecar/Sidecar.ts';
import { resolveSidecarSettings, type SidecarConfig } from '../../src/sidecar/sidecarSettings.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { isListening } from '../helpers/isListening.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { jsonRequest } from '../helpers/otlpRequests.ts';
import { get, quietLogger, samplesOf, scrape, startSidecar, TIMEOUT_MS, valueOf } from './sidecarHarness.ts';

function push(url: string, service: string, points: { name: string; value: number }[]): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonRequest(service, points), signal: AbortSignal.timeout(TIMEOUT_MS) });
}

describe('Sidecar settings', () => {
  it('defaults: every interface, OTLP ports 4318 and 4317, metrics on 9464, 16 MiB, 5 minutes, 200,000 series, 64 requests in flight, 1 s of event-loop delay', () => {
    const settings = resolveSidecarSettings();
    assert.deepEqual(settings.otlpHttp, { host: '0.0.0.0', port: 4318, path: '/v1/metrics' });
    assert.deepEqual(settings.otlpGrpc, { host: '0.0.0.0', port: 4317 });
    assert.deepEqual(settings.metrics, { host: '0.0.0.0', port: 9464, path: '/metrics' });
    assert.equal(settings.maxRequestBytes, 16 * 1024 * 1024);
    assert.equal(settings.metricExpirationMs, 300_000);
    assert.equal(settings.maxSeries, 200_000);
    assert.equal(settings.maxInFlightRequests, 64);
    assert.equal(settings.maxEventLoopDelayMs, 1000);
    assert.equal(settings.eventLoopDelayProbe, undefined);
    assert.equal(settings.jobAndInstance, true);
    assert.equal(settings.targetInfo, true);
    assert.equal(settings.selfMetrics, true);
    assert.equal(settings.drainPeriodMs, 5_000);
  });

  const bad: [config: SidecarConfig, message: string][] = [
    [{ otlpHttp: { port: 70000 } }, 'Sidecar option otlpHttp.port must be a whole number from 0 to 65535 (0 picks a free port); got 70000.'],
    [{ metrics: { host: ' ' } }, 'Sidecar option metrics.host must be a host name or address (e.g. 0.0.0.0, 127.0.0.1, ::); got " ".'],
    [{ metrics: { path: 'metrics' } }, 'Sidecar option metrics.path must be a path starting with "/" (e.g. /metrics); got "metrics".'],
    [{ maxRequestBytes: 0 }, 'Sidecar option maxRequestBytes must be a whole number of bytes from 1 to 2147483647; got 0.'],
    [{ maxSeries: 1.5 }, 'Sidecar option maxSeries must be a whole number of series from 1 to 9007199254740991; got 1.5.'],
    [{ metricExpirationMs: -1 }, 'Sidecar option metricExpirationMs must be a positive number of milliseconds; got -1.'],
    [{ maxInFlightRequests: 0 }, 'Sidecar option maxInFlightRequests must be a whole number of requests from 1 to 9007199254740991; got 0.'],
    [{ maxEventLoopDelayMs: Infinity }, 'Sidecar option maxEventLoopDelayMs must be a positive number of milliseconds; got Infinity.'],
    [{ maxEventLoopDelayMs: '5' as never }, 'Sidecar option maxEventLoopDelayMs must be a positive number of milliseconds; got "5".'],
    [{ eventLoopDelayProbe: { meanDelayMs: () => 0 } as never }, 'Sidecar option eventLoopDelayProbe must be an object with start(), stop() and meanDelayMs() methods; leave it out for the default probe.'],
    [{ selfMetrics: 'yes' as never }, 'Sidecar option selfMetrics must be true or false; got "yes".'],
    [{ labelNamePreserveMultipleUnderscores: 'yes' as never }, 'Sidecar option labelNamePreserveMultipleUnderscores must be true or false; got "yes".'],
    [{ labelNameUnderscoreSanitization: 1 as never }, 'Sidecar option labelNameUnderscoreSanitization must be true or false; got 1.'],
    [{ drainPeriodMs: -1 }, 'Sidecar option drainPeriodMs must be a whole number of milliseconds from 0 to 2147483647; got -1.'],
    [{ translationStrategy: 'Nope' as never }, 'Sidecar option translationStrategy must be one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation; got "Nope".'],
  ];
  for (const [config, message] of bad) {
    it(`refuses ${JSON.stringify(config)} at construction`, () => assert.throws(() => new Sidecar(config), { message }));
  }
});

describe('Sidecar lifecycle', () => {
  it('start() gives the bound addresses; a second start() is refused; stop() twice is fine; it starts again', async () => {
    const { sidecar, addresses } = await startSidecar();
    assert.match(addresses.otlpHttp.url, /^http:\/\/127\.0\.0\.1:\d+\/v1\/metrics$/);
    assert.match(addresses.otlpGrpc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(addresses.metrics.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal((await get(new URL('/-/ready', addresses.metrics.url).href)).status, 200);
    await assert.rejects(sidecar.start(), /already started/);
    await sidecar.stop();
    await sidecar.stop();
    assert.equal(sidecar.isReady(), false);
    assert.equal(await isListening(addresses.metrics.port, 1000), false);
    const again = await sidecar.start();
    assert.equal((await get(again.metrics.url)).status, 200);
    await sidecar.stop();
  });

  it('a port in use: start() rejects naming it, and closes the listeners it had opened', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as { port: number }).port;
    const [metricsPort, httpPort] = await freePorts(2);
    const sidecar = new Sidecar({
      logger: quietLogger,
      metrics: { host: '127.0.0.1', port: metricsPort },
      otlpHttp: { host: '127.0.0.1', port: httpPort },
      otlpGrpc: { host: '127.0.0.1', port: taken },
    });
    try {
      await assert.rejects(sidecar.start(), new RegExp(`OTLP/gRPC receiver could not listen on 127\\.0\\.0\\.1:${taken}`));
      assert.equal(await isListening(metricsPort!, 1000), false);
      assert.equal(await isListening(httpPort!, 1000), false);
    } finally {
      await sidecar.stop();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('Sidecar state', () => {
  it('series not updated for the expiration time disappear (injected clock), with their target_info', async () => {
    let now = 1_700_000_000_000;
    const { sidecar, addresses } = await startSidecar({ clock: () => now, metricExpirationMs: 60_000 });
    try {
      assert.equal((await push(addresses.otlpHttp.url, 'fading', [{ name: 'fading', value: 1 }])).status, 200);
      now += 30_000;
      assert.equal((await push(addresses.otlpHttp.url, 'staying', [{ name: 'staying', value: 2 }])).status, 200);
      let families = await scrape(addresses);
      assert.equal(valueOf(families, 'fading_total', { job: 'fading' }), 1);

      now += 30_001;
      assert.equal(sidecar.sweep(), 1);
      families = await scrape(addresses);
      assert.deepEqual(samplesOf(families, 'fading_total'), []);
      assert.equal(valueOf(families, 'staying_total', { job: 'staying' }), 2);
      assert.deepEqual(samplesOf(families, 'target_info', { job: 'fading' }), []);
    } finally {
      await sidecar.stop();
    }
  });

  it('the series limit: a request past it is partly accepted, and existing series go on updating', async () => {
    const { sidecar, addresses } = await startSidecar({ maxSeries: 2 });
    try {
      const first = await push(addresses.otlpHttp.url, 'busy', [
        { name: 'a', value: 1 },
        { name: 'b', value: 1 },
        { name: 'c', value: 1 },
      ]);
      assert.equal(first.status, 200);
      const body = (await first.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
      assert.equal(body.partialSuccess.rejectedDataPoints, '1');
      assert.match(body.partialSuccess.errorMessage, /limit of 2 series/);

      assert.equal((await push(addresses.otlpHttp.url, 'busy', [{ name: 'a', value: 5 }])).status, 200);
      const families = await scrape(addresses);
      assert.equal(valueOf(families, 'a_total', { job: 'busy' }), 5);
      assert.equal(valueOf(families, 'b_total', { job: 'busy' }), 1);
      assert.deepEqual(samplesOf(families, 'c_total'), []);
      assert.equal(valueOf(families, 'otel_prom_bridge_series'), 2);
      assert.equal(valueOf(families, 'otel_prom_bridge_series_limit'), 2);
      assert.equal(valueOf(families, 'otel_prom_bridge_translation_dropped_total', { reason: 'cardinality_limit' }), 1);
    } finally {
      await sidecar.stop();
    }
  });

  it('serves OpenMetrics when the scraper asks for it', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      await push(addresses.otlpHttp.url, 'om', [{ name: 'om', value: 1 }]);
      const response = await get(addresses.metrics.url, { accept: 'application/openmetrics-text;version=1.0.0' });
      assert.match(response.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
      const families = parseExposition(await response.text(), 'openmetrics');
      assert.equal(valueOf(families, 'om_total', { job: 'om' }), 1);
    } finally {
      await sidecar.stop();
    }
  });
});
