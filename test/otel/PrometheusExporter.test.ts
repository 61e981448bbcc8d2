import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { PrometheusExporter as OfficialPrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, MeterProvider, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, type ExporterConfig } from '../../src/index.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { isListening } from '../helpers/isListening.ts';
import { parseSamples, sampleValue } from '../helpers/parseSamples.ts';
import { recordingLogger } from '../helpers/recordingLogger.ts';

/** These scrapers name no escaping: legacy names, and a content type saying so. */
const TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores';
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const FETCH_TIMEOUT_MS = 5_000;

// Everything a test starts, stopped after it whatever happened.
const exporters: PrometheusExporter[] = [];
const providers: MeterProvider[] = [];
const servers: (HttpServer | TcpServer)[] = [];

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown().catch(() => undefined)));
  await Promise.all(exporters.splice(0).map((exporter) => exporter.stopServer()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))),
  );
});

/** An exporter and what its constructor callback reported (waited for, boundedly). */
async function createExporter(config: ExporterConfig): Promise<{ exporter: PrometheusExporter; error: Error | void }> {
  let exporter: PrometheusExporter | undefined;
  const error = await new Promise<Error | void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the constructor callback was not called within 5 s')), 5_000);
    exporter = new PrometheusExporter({ logger: recordingLogger(), ...config }, (result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
  exporters.push(exporter!);
  return { exporter: exporter!, error };
}

/** An exporter listening on a free port of 127.0.0.1. */
async function startExporter(config: ExporterConfig = {}): Promise<PrometheusExporter> {
  const { exporter, error } = await createExporter({ host: '127.0.0.1', port: 0, ...config });
  assert.equal(error, undefined);
  return exporter;
}

function register(exporter: PrometheusExporter, resourceAttributes: Record<string, string> = { 'service.name': 'exporter-test' }): MeterProvider {
  const provider = new MeterProvider({ resource: resourceFromAttributes(resourceAttributes), readers: [exporter] });
  providers.push(provider);
  return provider;
}

function listenHttp(server: HttpServer): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

async function occupyPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createTcpServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  return { port: address.port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs `fn` with these environment variables set (undefined: unset), restoring them after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string | null; body: string }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

function urlOf(exporter: PrometheusExporter, path?: string): string {
  const address = exporter.address();
  assert.ok(address, 'the exporter should be listening');
  return path === undefined ? address.url : `http://${address.host}:${address.port}${path}`;
}

describe('PrometheusExporter: the official surface', () => {
  it('has the official DEFAULT_OPTIONS', () => {
    assert.deepEqual(PrometheusExporter.DEFAULT_OPTIONS, OfficialPrometheusExporter.DEFAULT_OPTIONS);
  });

  it('has every public method of the official exporter', () => {
    const official = Object.getOwnPropertyNames(OfficialPrometheusExporter.prototype).filter((name) => !name.startsWith('_') && name !== 'constructor');
    assert.ok(official.includes('getMetricsRequestHandler'));
    for (const name of [...official, 'collect', 'forceFlush', 'shutdown', 'setMetricProducer', 'selectAggregationTemporality']) {
      assert.equal(typeof (PrometheusExporter.prototype as unknown as Record<string, unknown>)[name], 'function', `${name} is missing`);
    }
  });
});

describe('PrometheusExporter: listening', () => {
  it('port 0 listens on a free port that address() reports', async () => {
    const exporter = await startExporter({ port: 0 });
    const address = exporter.address();
    assert.ok(address);
    assert.equal(address.host, '127.0.0.1');
    assert.ok(address.port > 0);
    assert.equal(address.url, `http://127.0.0.1:${address.port}/metrics`);
    assert.equal(await isListening(address.port), true);
  });

  it('address() is undefined until the server listens', async () => {
    const exporter = new PrometheusExporter({ host: '127.0.0.1', port: 0, logger: recordingLogger() });
    exporters.push(exporter);
    assert.equal(exporter.address(), undefined);
    await exporter.startServer();
    assert.ok(exporter.address());
  });

  it('serves the configured endpoint, with or without its leading slash', async () => {
    for (const [endpoint, path] of [['/custom/path', '/custom/path'], ['prom', '/prom']] as const) {
      const exporter = await startExporter({ endpoint });
      register(exporter);
      assert.equal(exporter.address()?.url.endsWith(path), true);
      assert.equal((await get(urlOf(exporter))).status, 200);
      assert.equal((await get(urlOf(exporter, '/metrics'))).status, 404);
    }
  });

  it('uses OTEL_EXPORTER_PROMETHEUS_HOST and OTEL_EXPORTER_PROMETHEUS_PORT when the config leaves them unset', async () => {
    const [port] = await freePorts(1);
    const { exporter, error } = await withEnv({ OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) }, () =>
      createExporter({}),
    );
    assert.equal(error, undefined);
    assert.equal(exporter.address()?.host, '127.0.0.1');
    assert.equal(exporter.address()?.port, port);
  });

  it('the config wins over OTEL_EXPORTER_PROMETHEUS_HOST and _PORT', async () => {
    const taken = await occupyPort();
    // Were the environment used, 192.0.2.1 (TEST-NET) and a taken port would both fail to listen.
    const { exporter, error } = await withEnv({ OTEL_EXPORTER_PROMETHEUS_HOST: '192.0.2.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(taken.port) }, () =>
      createExporter({ host: '127.0.0.1', port: 0 }),
    );
    assert.equal(error, undefined);
    assert.equal(exporter.address()?.host, '127.0.0.1');
    assert.notEqual(exporter.address()?.port, taken.port);
  });

  it('treats an empty host or endpoint as unset, as the official exporter does (not every interface, not /)', async () => {
    const { exporter, error } = await withEnv({ OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: undefined }, () =>
      createExporter({ host: '', port: 0, endpoint: '' }),
    );
    assert.equal(error, undefined);
    assert.equal(exporter.address()?.host, '127.0.0.1');
    assert.equal(exporter.address()?.url, `http://127.0.0.1:${exporter.address()?.port}/metrics`);
    register(exporter);
    assert.equal((await get(urlOf(exporter, '/metrics'))).status, 200);
  });

  it('warns about an OTEL_EXPORTER_PROMETHEUS_PORT that is not a port, naming the variable and the default', async () => {
    const logger = recordingLogger();
    await withEnv({ OTEL_EXPORTER_PROMETHEUS_PORT: 'http' }, async () => {
      exporters.push(new PrometheusExporter({ preventServerStart: true, logger }));
    });
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0]!, /OTEL_EXPORTER_PROMETHEUS_PORT must be a port number from 0 to 65535; got "http", using 9464/);
  });

  for (const port of [-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`throws a RangeError naming the option for port ${String(port)}`, () => {
      assert.throws(() => new PrometheusExporter({ port, logger: recordingLogger() }), {
        name: 'RangeError',
        message: `PrometheusExporter option port must be an integer from 0 to 65535 (0 picks a free port); got ${String(port)}.`,
      });
    });
  }

  for (const option of ['labelNamePreserveMultipleUnderscores', 'labelNameUnderscoreSanitization'] as const) {
    it(`throws a TypeError naming the option for ${option} that is not a boolean`, () => {
      assert.throws(() => new PrometheusExporter({ [option]: 'no' as never, preventServerStart: true, logger: recordingLogger() }), {
        name: 'TypeError',
        message: `PrometheusExporter option ${option} must be true or false; got "no".`,
      });
    });
  }

  it('passes the listen error to the callback when the port is taken, and startServer() can retry', async () => {
    const taken = await occupyPort();
    const { exporter, error } = await createExporter({ host: '127.0.0.1', port: taken.port });
    assert.ok(error instanceof Error);
    assert.equal((error as NodeJS.ErrnoException).code, 'EADDRINUSE');
    assert.equal(exporter.address(), undefined);

    await taken.release();
    await exporter.startServer();
    assert.equal(exporter.address()?.port, taken.port);
  });

  it('preventServerStart: true starts no server, still calls back, and render() serves the metrics', async () => {
    const { exporter, error } = await createExporter({ preventServerStart: true, host: '127.0.0.1', port: 0 });
    assert.equal(error, undefined);
    assert.equal(exporter.address(), undefined);
    const provider = register(exporter);
    provider.getMeter('render-test').createCounter('renders').add(4);

    const text = await exporter.render();
    assert.equal(text.contentType, TEXT);
    assert.equal(sampleValue(parseSamples(text.body), 'renders_total'), 4);

    const openMetrics = await exporter.render(PROMETHEUS_ACCEPT);
    assert.equal(openMetrics.contentType, OPENMETRICS);
    assert.match(openMetrics.body, /^# TYPE renders counter$/m);
    assert.ok(openMetrics.body.endsWith('# EOF\n'));
    assert.equal(exporter.address(), undefined);
  });

  it('startServer() called twice listens once', async () => {
    const exporter = new PrometheusExporter({ host: '127.0.0.1', port: 0, preventServerStart: true, logger: recordingLogger() });
    exporters.push(exporter);
    const first = exporter.startServer();
    assert.equal(exporter.startServer(), first);
    await first;
    assert.ok(exporter.address());
  });

  it('stopServer() stops listening and startServer() listens again', async () => {
    const exporter = await startExporter();
    register(exporter);
    const firstPort = exporter.address()!.port;
    assert.equal((await get(urlOf(exporter))).status, 200);

    await exporter.stopServer();
    assert.equal(exporter.address(), undefined);
    assert.equal(await isListening(firstPort), false);

    await exporter.startServer();
    assert.ok(exporter.address());
    assert.equal((await get(urlOf(exporter))).status, 200);
  });

  it('stopServer() before any server is a no-op', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true, logger: recordingLogger() });
    await exporter.stopServer();
    assert.equal(exporter.address(), undefined);
  });

  it('shutdown() closes the server', async () => {
    const exporter = await startExporter();
    register(exporter);
    const port = exporter.address()!.port;
    await exporter.shutdown();
    assert.equal(exporter.address(), undefined);
    assert.equal(await isListening(port), false);
  });

  it('the MeterProvider shutting down closes the server', async () => {
    const exporter = await startExporter();
    const provider = register(exporter);
    const port = exporter.address()!.port;
    await provider.shutdown();
    assert.equal(await isListening(port), false);
  });

  it('forceFlush() resolves (a pull exporter has nothing to flush)', async () => {
    const exporter = await startExporter();
    register(exporter);
    await exporter.forceFlush();
  });
});

describe('PrometheusExporter: scraping', () => {
  it('collects on each scrape: a counter incremented between two scrapes shows its new value', async () => {
    const exporter = await startExporter();
    const counter = register(exporter).getMeter('scrape-test').createCounter('jobs');
    counter.add(1);
    assert.equal(sampleValue(parseSamples((await get(urlOf(exporter))).body), 'jobs_total'), 1);
    counter.add(2);
    assert.equal(sampleValue(parseSamples((await get(urlOf(exporter))).body), 'jobs_total'), 3);
  });

  it('concurrent scrapes each get every family once', async () => {
    const exporter = await startExporter();
    const meter = register(exporter).getMeter('concurrency-test');
    for (let i = 0; i < 20; i++) meter.createCounter(`counter_${i}`).add(i + 1);
    const bodies = await Promise.all(Array.from({ length: 10 }, async () => (await get(urlOf(exporter))).body));
    for (const body of bodies) {
      const samples = parseSamples(body);
      for (let i = 0; i < 20; i++) assert.equal(sampleValue(samples, `counter_${i}_total`), i + 1);
      assert.equal(body.match(/^# TYPE /gm)?.length, 21); // 20 counters and target_info
    }
  });

  it('answers 503 at the metrics path and /-/ready until it is registered with a MeterProvider, 200 after', async () => {
    const exporter = await startExporter();
    const metrics = await get(urlOf(exporter));
    assert.equal(metrics.status, 503);
    assert.match(metrics.body, /not registered with a MeterProvider/);
    assert.equal((await get(urlOf(exporter, '/-/ready'))).status, 503);
    assert.equal((await get(urlOf(exporter, '/-/healthy'))).status, 200);

    register(exporter);
    assert.equal((await get(urlOf(exporter))).status, 200);
    assert.equal((await get(urlOf(exporter, '/-/ready'))).status, 200);
  });

  it('serves OpenMetrics to Prometheus and gzip when asked', async () => {
    const exporter = await startExporter();
    register(exporter).getMeter('format-test').createCounter('hits').add(1);
    const response = await fetch(urlOf(exporter), { headers: { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), OPENMETRICS);
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    const body = await response.text(); // fetch gunzips
    assert.equal(sampleValue(parseSamples(body), 'hits_total'), 1);
    assert.ok(body.endsWith('# EOF\n'));
  });

  it('getMetricsRequestHandler answers a node:http server, negotiating the format', async () => {
    const exporter = await startExporter({ preventServerStart: true });
    register(exporter).getMeter('handler-test').createUpDownCounter('in_flight').add(3);
    const port = await listenHttp(createHttpServer((request, response) => exporter.getMetricsRequestHandler(request, response)));

    const text = await get(`http://127.0.0.1:${port}/anything`);
    assert.equal(text.status, 200);
    assert.equal(text.contentType, TEXT);
    assert.equal(sampleValue(parseSamples(text.body), 'in_flight'), 3);

    const openMetrics = await get(`http://127.0.0.1:${port}/anything`, { accept: PROMETHEUS_ACCEPT });
    assert.equal(openMetrics.contentType, OPENMETRICS);
    assert.ok(openMetrics.body.endsWith('# EOF\n'));
  });

  it('getMetricsRequestHandler answers 503 for an exporter not registered with a MeterProvider', async () => {
    const exporter = await startExporter({ preventServerStart: true });
    const port = await listenHttp(createHttpServer((request, response) => exporter.getMetricsRequestHandler(request, response)));
    const response = await get(`http://127.0.0.1:${port}/`);
    assert.equal(response.status, 503);
    assert.match(response.body, /not registered with a MeterProvider/);
  });

  it('metricProducers add their data to the SDK’s', async () => {
    const producer: MetricProducer = {
      collect: async () => ({
        resourceMetrics: {
          resource: resourceFromAttributes({ 'service.name': 'ignored' }),
          scopeMetrics: [
            {
              scope: { name: 'external-producer', version: '2.0.0' },
              metrics: [
                {
                  descriptor: { name: 'external.queue.length', description: 'From a producer', unit: '', valueType: ValueType.INT },
                  aggregationTemporality: AggregationTemporality.CUMULATIVE,
                  dataPointType: DataPointType.GAUGE,
                  dataPoints: [{ startTime: [1_700_000_000, 0], endTime: [1_700_000_001, 0], attributes: { queue: 'mail' }, value: 42 }],
                },
              ],
            },
          ],
        },
        errors: [],
      }),
    };
    const exporter = await startExporter({ metricProducers: [producer] });
    register(exporter).getMeter('sdk-meter').createCounter('sdk_events').add(1);
    const samples = parseSamples((await get(urlOf(exporter))).body);
    assert.equal(sampleValue(samples, 'external_queue_length', { queue: 'mail', otel_scope_name: 'external-producer' }), 42);
    assert.equal(sampleValue(samples, 'sdk_events_total', { otel_scope_name: 'sdk-meter' }), 1);
  });
});

describe('PrometheusExporter: the official output options', () => {
  async function renderWith(config: ExporterConfig): Promise<string> {
    const { exporter } = await createExporter({ preventServerStart: true, ...config });
    const provider = register(exporter, { 'service.name': 'options-test', 'service.version': '3.0.0', 'host.name': 'box' });
    provider.getMeter('options-meter', '1.0.0').createCounter('ops').add(2, { kind: 'read' });
    return (await exporter.render()).body;
  }

  it('by default: scope labels and target_info, no resource labels, no prefix, no timestamps', async () => {
    const samples = parseSamples(await renderWith({}));
    const ops = samples.find((sample) => sample.name === 'ops_total');
    assert.deepEqual(ops?.labels, { kind: 'read', otel_scope_name: 'options-meter', otel_scope_version: '1.0.0' });
    assert.equal(sampleValue(samples, 'target_info', { service_name: 'options-test', host_name: 'box' }), 1);
    assert.match(await renderWith({}), /^ops_total\{[^}]*\} 2$/m);
  });

  it('prefix names every metric <prefix>_', async () => {
    assert.equal(sampleValue(parseSamples(await renderWith({ prefix: 'myapp' })), 'myapp_ops_total'), 2);
  });

  it('appendTimestamp writes integer milliseconds after each value', async () => {
    const before = Date.now();
    const line = (await renderWith({ appendTimestamp: true })).split('\n').find((l) => l.startsWith('ops_total'));
    const match = / 2 (\d+)$/.exec(line ?? '');
    assert.ok(match, line);
    const stamp = Number(match[1]);
    assert.ok(stamp >= before - 60_000 && stamp <= Date.now() + 1_000, `timestamp ${stamp} is not around now`);
  });

  it('withResourceConstantLabels copies matching resource attributes onto every series', async () => {
    const samples = parseSamples(await renderWith({ withResourceConstantLabels: /^service\./ }));
    assert.equal(sampleValue(samples, 'ops_total', { service_name: 'options-test', service_version: '3.0.0' }), 2);
    assert.equal(samples.find((sample) => sample.name === 'ops_total')?.labels.host_name, undefined);
  });

  it('withoutScopeInfo leaves out the otel_scope_* labels', async () => {
    const ops = parseSamples(await renderWith({ withoutScopeInfo: true })).find((sample) => sample.name === 'ops_total');
    assert.deepEqual(ops?.labels, { kind: 'read' });
  });

  it('withoutTargetInfo leaves out target_info', async () => {
    const body = await renderWith({ withoutTargetInfo: true });
    assert.doesNotMatch(body, /target_info/);
    assert.match(body, /^ops_total/m);
  });
});
