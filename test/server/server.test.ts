import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { buildServer, metricsPlugin, PrometheusExporter, type MetricsSource } from '../../src/index.ts';
import { parseSamples, sampleValue } from '../helpers/parseSamples.ts';

/** Scrapers that name no escaping get legacy names, and a content type saying so. */
const TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores';
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3_ACCEPT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const quiet = { warn: () => undefined, debug: () => undefined };

const apps: FastifyInstance[] = [];
const providers: MeterProvider[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

/** A serverless exporter on a real MeterProvider with one counter at 3; unregistered on request. */
function exporterSource(options: { registered?: boolean } = {}): PrometheusExporter {
  const exporter = new PrometheusExporter({ preventServerStart: true, logger: quiet });
  if (options.registered ?? true) {
    const provider = new MeterProvider({ readers: [exporter] });
    providers.push(provider);
    provider.getMeter('server-test').createCounter('served').add(3, { path: '/x' });
  }
  return exporter;
}

function failingSource(error: unknown): MetricsSource {
  return {
    render: async () => {
      throw error;
    },
    isReady: () => true,
  };
}

function app(options: Parameters<typeof buildServer>[0]): FastifyInstance {
  const built = buildServer(options);
  apps.push(built);
  return built;
}

describe('buildServer: the metrics route', () => {
  it('serves text 0.0.4 by default', async () => {
    const response = await app({ source: exporterSource() }).inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], TEXT);
    assert.equal(response.headers['content-encoding'], undefined);
    assert.equal(response.headers.vary, 'Accept, Accept-Encoding');
    assert.equal(sampleValue(parseSamples(response.body), 'served_total', { path: '/x' }), 3);
    assert.doesNotMatch(response.body, /# EOF/);
  });

  const negotiation: [accept: string, contentType: string][] = [
    ['*/*', TEXT],
    ['text/plain', TEXT],
    ['text/plain;version=0.0.4', TEXT],
    ['application/json', TEXT],
    [PROMETHEUS_ACCEPT, OPENMETRICS],
    ['application/openmetrics-text; version=1.0.0', OPENMETRICS],
    [PROMETHEUS_3_ACCEPT, 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8'],
    ['text/plain;version=1.0.0;escaping=allow-utf-8', 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8'],
  ];
  for (const [accept, contentType] of negotiation) {
    it(`answers Accept: ${accept} with ${contentType.split(';')[0]}`, async () => {
      const response = await app({ source: exporterSource() }).inject({ method: 'GET', url: '/metrics', headers: { accept } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], contentType);
      assert.equal(sampleValue(parseSamples(response.body), 'served_total'), 3);
      assert.equal(response.body.endsWith('# EOF\n'), contentType.startsWith('application/openmetrics-text'));
    });
  }

  const encodings: [acceptEncoding: string | undefined, gzipped: boolean][] = [
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1, gzip;q=0.5', true],
    ['*', true],
    [undefined, false],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['*;q=0', false],
  ];
  for (const [acceptEncoding, gzipped] of encodings) {
    it(`${gzipped ? 'gzips' : 'does not gzip'} for Accept-Encoding: ${acceptEncoding ?? '(none)'}`, async () => {
      const server = app({ source: exporterSource() });
      const plain = await server.inject({ method: 'GET', url: '/metrics', headers: { accept: PROMETHEUS_ACCEPT } });
      const headers: Record<string, string> = { accept: PROMETHEUS_ACCEPT };
      if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
      const response = await server.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], OPENMETRICS);
      if (gzipped) {
        assert.equal(response.headers['content-encoding'], 'gzip');
        assert.equal(gunzipSync(response.rawPayload).toString('utf8'), plain.body);
      } else {
        assert.equal(response.headers['content-encoding'], undefined);
        assert.equal(response.body, plain.body);
      }
    });
  }

  it('answers 500 with the message when rendering fails, never 200', async () => {
    const server = app({ source: failingSource(new Error('the registry exploded')) });
    for (const headers of [{}, { 'accept-encoding': 'gzip', accept: PROMETHEUS_ACCEPT }]) {
      const response = await server.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(response.statusCode, 500);
      assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(response.headers['content-encoding'], undefined);
      assert.equal(response.body, 'failed to render metrics: the registry exploded\n');
    }
  });

  it('answers 500 when rendering rejects with something that is not an Error', async () => {
    const response = await app({ source: failingSource('plain string') }).inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.body, 'failed to render metrics: plain string\n');
  });

  it('answers 503 while the exporter is not registered with a MeterProvider', async () => {
    const response = await app({ source: exporterSource({ registered: false }) }).inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /^failed to render metrics: the exporter is not registered with a MeterProvider yet/);
  });

  it('serves the configured endpoint, adding a missing leading slash', async () => {
    for (const [endpoint, path] of [['/custom/metrics', '/custom/metrics'], ['prom', '/prom']] as const) {
      const server = app({ source: exporterSource(), endpoint });
      assert.equal((await server.inject({ method: 'GET', url: path })).statusCode, 200);
      assert.equal((await server.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    }
  });

  it('ignores the query string', async () => {
    const response = await app({ source: exporterSource() }).inject({ method: 'GET', url: '/metrics?debug=1' });
    assert.equal(response.statusCode, 200);
  });

  it('serves the metrics at / when that is the endpoint (and no landing page)', async () => {
    const response = await app({ source: exporterSource(), endpoint: '/' }).inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], TEXT);
  });
});

describe('buildServer: the other routes', () => {
  it('/-/healthy answers 200', async () => {
    const response = await app({ source: exporterSource({ registered: false }) }).inject({ method: 'GET', url: '/-/healthy' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, 'OK\n');
  });

  it('/-/ready answers 200 when the source is ready and 503 when not', async () => {
    const ready = await app({ source: exporterSource() }).inject({ method: 'GET', url: '/-/ready' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.body, 'Ready\n');
    const notReady = await app({ source: exporterSource({ registered: false }) }).inject({ method: 'GET', url: '/-/ready' });
    assert.equal(notReady.statusCode, 503);
    assert.equal(notReady.body, 'Not ready\n');
  });

  it('/ is an HTML page linking the metrics path and the probes', async () => {
    const response = await app({ source: exporterSource(), endpoint: '/custom/metrics' }).inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(response.body, /<a href="\/custom\/metrics">/);
    assert.match(response.body, /<a href="\/-\/healthy">/);
    assert.match(response.body, /<a href="\/-\/ready">/);
  });

  it('answers 404 elsewhere with a message pointing at the metrics', async () => {
    const server = app({ source: exporterSource() });
    for (const [method, url] of [['GET', '/nope'], ['GET', '/metrics/extra'], ['POST', '/metrics']] as const) {
      const response = await server.inject({ method, url });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(response.body, `Not found: ${url}. Metrics are at /metrics.\n`);
    }
  });
});

describe('metricsPlugin on the user’s own fastify app', () => {
  function userApp(): FastifyInstance {
    const user = Fastify({ logger: false });
    apps.push(user);
    user.addHook('onRequest', async (_request, reply) => {
      reply.header('x-served-by', 'user-app');
    });
    user.get('/hello', async () => ({ hello: 'world' }));
    user.get('/api/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    return user;
  }

  it('adds the metrics route at a custom path next to the user’s routes, under the user’s hooks', async () => {
    const user = userApp();
    await user.register(metricsPlugin, { source: exporterSource(), path: '/internal/metrics' });

    const metrics = await user.inject({ method: 'GET', url: '/internal/metrics', headers: { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' } });
    assert.equal(metrics.statusCode, 200);
    assert.equal(metrics.headers['content-type'], OPENMETRICS);
    assert.equal(metrics.headers['x-served-by'], 'user-app');
    assert.equal(metrics.headers['content-encoding'], 'gzip');
    assert.equal(sampleValue(parseSamples(gunzipSync(metrics.rawPayload).toString('utf8')), 'served_total'), 3);

    assert.deepEqual((await user.inject({ method: 'GET', url: '/hello' })).json(), { hello: 'world' });
    assert.deepEqual((await user.inject({ method: 'GET', url: '/api/items/42' })).json(), { id: '42' });
    assert.equal((await user.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    assert.equal(user.hasRoute({ method: 'GET', url: '/internal/metrics' }), true);
  });

  it('uses /metrics when no path is given', async () => {
    const user = userApp();
    await user.register(metricsPlugin, { source: exporterSource() });
    const response = await user.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], TEXT);
  });

  it('answers 500 with the message when the source fails, on the user’s app too', async () => {
    const user = userApp();
    await user.register(metricsPlugin, { source: failingSource(new Error('boom')), path: '/m' });
    const response = await user.inject({ method: 'GET', url: '/m' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.body, 'failed to render metrics: boom\n');
  });

  it('refuses to register without a source, in a full sentence', async () => {
    const user = userApp();
    user.register(metricsPlugin, {} as never);
    await assert.rejects(async () => {
      await user.ready();
    }, {
      name: 'TypeError',
      message: 'metricsPlugin needs a `source` option: the PrometheusExporter or PeriodicPrometheusReader to serve.',
    });
  });
});
