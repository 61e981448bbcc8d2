/**
 * The sidecar's status: per pushing resource, the series the store holds for its job/instance and
 * what became of its points, recorded as requests are applied; resources whose series all expired
 * leave the table; the state follows start, drain and stop. Time is the sidecar's injected clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { get, startSidecar, TIMEOUT_MS } from './sidecarHarness.ts';

const START_MS = 1_700_000_000_000;

interface Push {
  readonly service: string;
  readonly instance?: string;
  /** Monotonic cumulative sums, one point each. */
  readonly counters: Record<string, number>;
}

/** One OTLP/JSON request with a resource per push (several resources in one request, as a collector sends). */
function jsonBody(pushes: readonly Push[]): string {
  const timeUnixNano = '1700000000000000000';
  return JSON.stringify({
    resourceMetrics: pushes.map(({ service, instance, counters }) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: service } },
          ...(instance === undefined ? [] : [{ key: 'service.instance.id', value: { stringValue: instance } }]),
        ],
      },
      scopeMetrics: [
        {
          scope: { name: 'status-test' },
          metrics: Object.entries(counters).map(([name, value]) => ({
            name,
            sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano, asDouble: value }] },
          })),
        },
      ],
    })),
  });
}

async function post(url: string, pushes: readonly Push[]): Promise<{ status: number; body: { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody(pushes), signal: AbortSignal.timeout(TIMEOUT_MS) });
  return { status: response.status, body: (await response.json()) as { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } } };
}

describe('Sidecar status', () => {
  it('per resource: series held, pushes, points accepted and refused with the reason, last push', async () => {
    let nowMs = START_MS;
    const { sidecar, addresses } = await startSidecar({ clock: () => nowMs, maxSeries: 3 });
    try {
      assert.equal((await post(addresses.otlpHttp.url, [{ service: 'checkout', instance: 'pod-1', counters: { orders: 1, payments: 2 } }])).status, 200);
      nowMs += 2_000;
      // One request, two resources: the second reaches the series limit with its second counter.
      const answer = await post(addresses.otlpHttp.url, [
        { service: 'checkout', instance: 'pod-1', counters: { orders: 3 } },
        { service: 'inventory', counters: { stock: 7, restocks: 1 } },
      ]);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.partialSuccess?.rejectedDataPoints, '1');
      assert.match(answer.body.partialSuccess?.errorMessage ?? '', /cardinality_limit: metric "restocks": the limit of 3 series is reached, new series are refused \(1 point; series restocks_total\{job="inventory",otel_scope_name="status-test"\}\)/);
      nowMs += 3_000;

      const status = sidecar.status();
      assert.equal(status.state, 'ready');
      assert.equal(status.startedAtMs, START_MS);
      assert.equal(status.nowMs, START_MS + 5_000);
      assert.equal(status.seriesHeld, 3);
      assert.deepEqual(status.resources, [
        {
          job: 'checkout',
          instance: 'pod-1',
          seriesHeld: 2,
          lastPushMs: START_MS + 2_000,
          pushes: 2,
          acceptedPoints: 3,
          refusedPoints: 0,
          recentRefusals: [],
          refusedByReason: {},
          multipleWriters: false,
        },
        {
          job: 'inventory',
          instance: '',
          seriesHeld: 1,
          lastPushMs: START_MS + 2_000,
          pushes: 1,
          acceptedPoints: 1,
          refusedPoints: 1,
          recentRefusals: ['cardinality_limit: metric "restocks": the limit of 3 series is reached, new series are refused (1 point; series restocks_total{job="inventory",otel_scope_name="status-test"})'],
          refusedByReason: { cardinality_limit: 1 },
          multipleWriters: false,
        },
      ]);
      assert.equal(status.settings.maxSeries, 3);
      assert.equal(status.settings.otlpHttpListen, `127.0.0.1:${addresses.otlpHttp.port}`);
      assert.equal(status.settings.metricsListen, `127.0.0.1:${addresses.metrics.port}`);

      const page = await get(new URL('/', addresses.metrics.url).href);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<tr><td>checkout<\/td><td>pod-1<\/td><td class="n">2<\/td><td><time [^>]*>3 s ago<\/time><\/td>/);
      assert.match(html, /<td>3 \/ 3<\/td>/);
      const json = await get(new URL('/api/v1/status', addresses.metrics.url).href);
      assert.deepEqual(await json.json(), JSON.parse(JSON.stringify(sidecar.status())));
    } finally {
      await sidecar.stop();
    }
  });

  it('requests refused whole (malformed, 415, 413), which name no resource: counted by protocol and outcome, the latest listed with their message', async () => {
    let nowMs = START_MS;
    const { sidecar, addresses } = await startSidecar({ clock: () => nowMs, maxRequestBytes: 1_024 });
    try {
      const send = (body: string, contentType: string) =>
        fetch(addresses.otlpHttp.url, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      assert.equal((await send('{"resourceMetrics": [', 'application/json')).status, 400);
      nowMs += 1_000;
      assert.equal((await send('hello', 'text/plain')).status, 415);
      nowMs += 1_000;
      assert.equal((await send(jsonBody([{ service: 'big', counters: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, i])) }]), 'application/json')).status, 413);
      assert.equal((await post(addresses.otlpHttp.url, [{ service: 'fine', counters: { ok: 1 } }])).status, 200);

      const status = sidecar.status();
      assert.deepEqual(status.refusedRequests?.byOutcome, { 'http malformed': 1, 'http unsupported_media_type': 1, 'http too_large': 1 });
      assert.deepEqual(
        status.refusedRequests?.recent.map(({ atMs, protocol, outcome }) => ({ atMs, protocol, outcome })),
        [
          { atMs: START_MS, protocol: 'http', outcome: 'malformed' },
          { atMs: START_MS + 1_000, protocol: 'http', outcome: 'unsupported_media_type' },
          { atMs: START_MS + 2_000, protocol: 'http', outcome: 'too_large' },
        ],
      );
      assert.match(status.refusedRequests?.recent[0]?.message ?? '', /^malformed JSON ExportMetricsServiceRequest/);
      assert.match(status.refusedRequests?.recent[1]?.message ?? '', /unsupported content type "text\/plain"/);

      const page = await (await get(new URL('/', addresses.metrics.url).href)).text();
      assert.match(page, /<h2>Requests refused whole<\/h2>/);
      assert.match(page, /<td>http too_large<\/td><td class="n">1<\/td>/);
      assert.match(page, /unsupported content type &quot;text\/plain&quot;/);
      const json = (await (await get(new URL('/api/v1/status', addresses.metrics.url).href)).json()) as { refusedRequests: { recent: unknown[] } };
      assert.equal(json.refusedRequests.recent.length, 3);
    } finally {
      await sidecar.stop();
    }
  });

  it('a resource whose series all expired leaves the table; one still pushing stays', async () => {
    let nowMs = START_MS;
    const metricExpirationMs = 60_000;
    const { sidecar, addresses } = await startSidecar({ clock: () => nowMs, metricExpirationMs });
    try {
      await post(addresses.otlpHttp.url, [{ service: 'gone', counters: { a: 1 } }]);
      nowMs += metricExpirationMs / 2;
      await post(addresses.otlpHttp.url, [{ service: 'staying', counters: { b: 1 } }]);
      nowMs += metricExpirationMs / 2;
      sidecar.sweep();
      assert.deepEqual(
        sidecar.status().resources.map((resource) => [resource.job, resource.seriesHeld]),
        [['staying', 1]],
      );
      nowMs += metricExpirationMs;
      sidecar.sweep();
      assert.deepEqual(sidecar.status().resources, []);
      assert.match(await (await get(new URL('/', addresses.metrics.url).href)).text(), /No resource has pushed metrics yet/);
    } finally {
      await sidecar.stop();
    }
  });

  it('never shows credentials, whichever listener has them, only the kind each listener asks for', async () => {
    const token = 'status-page-secret-token';
    const password = 'status-page-secret-password';
    const { sidecar, addresses } = await startSidecar({
      otlpHttp: { auth: { kind: 'bearer', token } },
      otlpGrpc: { auth: { kind: 'basic', username: 'status-page-user', password } },
    });
    try {
      const page = await (await get(new URL('/', addresses.metrics.url).href)).text();
      const json = await (await get(new URL('/api/v1/status', addresses.metrics.url).href)).text();
      for (const shown of [page, json, JSON.stringify(sidecar.status())]) {
        for (const secret of [token, password, 'status-page-user']) assert.ok(!shown.includes(secret), `${secret} is not shown`);
      }
      assert.deepEqual(sidecar.status().settings.auth, { otlpHttp: 'bearer', otlpGrpc: 'basic', metrics: 'off' });
      assert.match(page, /OTLP\/HTTP bearer, OTLP\/gRPC basic, metrics off/);
    } finally {
      await sidecar.stop();
    }
  });

  it('state: ready once started, draining after drain(), stopped after stop()', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      assert.equal(sidecar.status().state, 'ready');
      await sidecar.drain();
      assert.equal(sidecar.status().state, 'draining');
      assert.match(await (await get(new URL('/', addresses.metrics.url).href)).text(), /<strong id="state">draining<\/strong>/);
    } finally {
      await sidecar.stop();
    }
    const stopped = sidecar.status();
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.startedAtMs, undefined);
    assert.equal(stopped.settings.otlpHttpListen, '127.0.0.1:0', 'the configured address once nothing is bound');
  });
});
