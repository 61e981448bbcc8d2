/**
 * The sidecar's status page as a pure rendering of a summary: every dynamic value escaped, an
 * empty table said in words, ages for a person; and buildServer serving it at `/` (HTML) and
 * `/api/v1/status` (JSON) only when given a `statusPage` callback.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/buildServer.ts';
import type { MetricsSource } from '../../src/server/metricsSource.ts';
import { MAX_RESOURCE_ROWS, renderStatusPage, STATUS_PAGE_CSP } from '../../src/server/statusPage.ts';
import type { ResourceStatus, StatusSummary } from '../../src/server/statusSummary.ts';

const NOW_MS = 1_700_000_000_000;

const HOSTILE = '<script>alert("x")</script>';
const HOSTILE_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

function resource(overrides: Partial<ResourceStatus> = {}): ResourceStatus {
  return { job: 'checkout', instance: 'pod-1', seriesHeld: 12, lastPushMs: NOW_MS - 3_000, pushes: 4, acceptedPoints: 40, refusedPoints: 0, recentRefusals: [], refusedByReason: {}, multipleWriters: false, ...overrides };
}

function summary(overrides: Partial<StatusSummary> = {}): StatusSummary {
  return {
    version: '1.2.3',
    nodeVersion: '24.0.0',
    state: 'ready',
    startedAtMs: NOW_MS - 252_000,
    nowMs: NOW_MS,
    settings: {
      otlpHttpListen: '0.0.0.0:4318',
      otlpHttpPath: '/v1/metrics',
      otlpGrpcListen: 'off',
      metricsListen: '0.0.0.0:9464',
      metricsPath: '/metrics',
      namespace: '',
      translationStrategy: 'UnderscoreEscapingWithSuffixes',
      promotedResourceAttributes: ['service.name', 'deployment.environment'],
      scopeLabels: true,
      targetInfo: false,
      metricExpirationMs: 300_000,
      maxSeries: 200_000,
      maxRequestBytes: 16 * 2 ** 20,
      selfMetrics: true,
      drainPeriodMs: 5_000,
      auth: { otlpHttp: 'bearer', otlpGrpc: 'bearer', metrics: 'off' },
      tls: { otlpHttp: false, otlpGrpc: false, metrics: true },
    },
    seriesHeld: 12,
    resources: [resource()],
    ...overrides,
  };
}

/** The cells of each `<tr>` of the table with this id, tags stripped (entities left as they are). */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html);
  assert.ok(table, `a table with id ${id}`);
  return [...table[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => cell[1]!.replace(/<[^>]*>/g, '')),
  );
}

describe('renderStatusPage', () => {
  it('shows the version, state, uptime, links and one row per resource', () => {
    const html = renderStatusPage(summary());
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /Version 1\.2\.3 on Node\.js 24\.0\.0 · <strong id="state">ready<\/strong> · up 4 min 12 s/);
    for (const href of ['/metrics', '/-/healthy', '/-/ready', '/api/v1/status']) assert.ok(html.includes(`<a href="${href}">`), href);
    assert.deepEqual(tableRows(html, 'resources'), [
      ['job', 'instance', 'series held', 'last push', 'pushes', 'points accepted', 'points refused', 'recent refusals'],
      ['checkout', 'pod-1', '12', '3 s ago', '4', '40', '0', ''],
    ]);
  });

  it('lists the settings, and the series held against the limit', () => {
    assert.deepEqual(tableRows(renderStatusPage(summary()), 'settings'), [
      ['OTLP/HTTP listen', '0.0.0.0:4318 /v1/metrics'],
      ['OTLP/gRPC listen', 'off'],
      ['metrics listen', '0.0.0.0:9464'],
      ['metrics path', '/metrics'],
      ['namespace', 'none'],
      ['translation strategy', 'UnderscoreEscapingWithSuffixes'],
      ['promoted resource attributes', 'service.name, deployment.environment'],
      ['scope labels', 'on'],
      ['target_info', 'off'],
      ['metric expiration', '5m'],
      ['series held / limit', '12 / 200,000'],
      ['max request body', '16MiB'],
      ['self metrics', 'on'],
      ['drain period', '5s'],
      ['auth', 'OTLP/HTTP bearer, OTLP/gRPC bearer, metrics off'],
      ['TLS', 'OTLP/HTTP off, OTLP/gRPC off, metrics on'],
    ]);
  });

  it('escapes hostile job, instance, refusal reasons and settings: they appear as text, never as markup', () => {
    const html = renderStatusPage(
      summary({
        version: HOSTILE,
        resources: [resource({ job: HOSTILE, instance: `"><img src=x onerror=alert(1)>`, refusedPoints: 2, recentRefusals: [`metric "${HOSTILE}": out of order`] })],
        settings: { ...summary().settings, metricsPath: `/m"><script>`, namespace: HOSTILE },
      }),
    );
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    const [, row] = tableRows(html, 'resources');
    assert.equal(row![0], HOSTILE_ESCAPED);
    assert.equal(row![1], '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(row![7], `metric &quot;${HOSTILE_ESCAPED}&quot;: out of order`);
    assert.ok(html.includes('<a href="/m&quot;&gt;&lt;script&gt;">'));
  });

  it('says so in words when no resource is pushing, instead of an empty table', () => {
    const html = renderStatusPage(summary({ resources: [], seriesHeld: 0 }));
    assert.doesNotMatch(html, /<table id="resources">/);
    assert.match(html, /<p id="no-resources"[^>]*>No resource has pushed metrics yet, or the series of every one have expired\.<\/p>/);
  });

  it('shows a dash for a missing job, instance or last push, and "not started" while stopped', () => {
    const html = renderStatusPage(summary({ state: 'stopped', startedAtMs: undefined, resources: [resource({ job: '', instance: '', lastPushMs: undefined })] }));
    assert.match(html, /<strong id="state">stopped<\/strong> · not started/);
    assert.deepEqual(tableRows(html, 'resources')[1]!.slice(0, 4), ['—', '—', '12', '—']);
  });

  it(`shows at most ${MAX_RESOURCE_ROWS} resources and says how many more the JSON has`, () => {
    const many = Array.from({ length: MAX_RESOURCE_ROWS + 5 }, (_, i) => resource({ instance: `pod-${i}` }));
    const html = renderStatusPage(summary({ resources: many }));
    assert.equal(tableRows(html, 'resources').length, MAX_RESOURCE_ROWS + 1);
    assert.match(html, /5 more resources are not shown; <a href="\/api\/v1\/status">/);
  });
});

describe('buildServer with a statusPage', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  const source: MetricsSource = { render: async () => ({ contentType: 'text/plain', body: '' }), isReady: () => true };
  function app(options: Omit<Parameters<typeof buildServer>[0], 'source'>): FastifyInstance {
    const built = buildServer({ source, ...options });
    apps.push(built);
    return built;
  }

  it('serves the status page at / with a policy that forbids scripts, freshly on each request', async () => {
    let calls = 0;
    const server = app({ statusPage: () => summary({ seriesHeld: ++calls }) });
    const first = await server.inject({ method: 'GET', url: '/' });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(first.headers['content-security-policy'], STATUS_PAGE_CSP);
    assert.match(STATUS_PAGE_CSP, /default-src 'none'/);
    assert.equal(first.headers['cache-control'], 'no-store');
    assert.match(first.body, /<td>1 \/ 200,000<\/td>/);
    assert.match((await server.inject({ method: 'GET', url: '/' })).body, /<td>2 \/ 200,000<\/td>/);
  });

  it('serves the same summary as JSON at /api/v1/status', async () => {
    const response = await app({ statusPage: () => summary() }).inject({ method: 'GET', url: '/api/v1/status' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.deepEqual(response.json(), JSON.parse(JSON.stringify(summary())));
  });

  it('without one, / is the landing page and /api/v1/status is not found', async () => {
    const server = app({});
    const landing = await server.inject({ method: 'GET', url: '/' });
    assert.equal(landing.statusCode, 200);
    assert.match(landing.body, /OpenTelemetry metrics for Prometheus/);
    assert.equal(landing.headers['content-security-policy'], undefined);
    assert.equal((await server.inject({ method: 'GET', url: '/api/v1/status' })).statusCode, 404);
  });
});
