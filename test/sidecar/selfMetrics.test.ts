/**
 * The sidecar's own metrics on its metrics path: `otel_prom_bridge_*` moving as the test pushes and
 * scrapes, prom-client's default process and Node.js metrics, `self_metrics: off`, and
 * `promtool check metrics` on the whole exposition.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { checkMetricsWithPromtool, skipUnlessInstalled } from '../helpers/prometheus.ts';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { buildProtobufRequest, jsonRequest, type PointSpec } from '../helpers/otlpRequests.ts';
import { postExport } from '../helpers/sendExport.ts';
import { get, samplesOf, scrape, startSidecar, TIMEOUT_MS, valueOf } from './sidecarHarness.ts';
import { PROCESS_METRICS_LEFT_OUT } from '../../src/sidecar/processMetrics.ts';
import { VERSION } from '../../src/version.ts';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';

function push(url: string, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

/** GETs the metrics path in `format`, asserting a 200; the body as sent. */
async function scrapeText(url: string, format: 'text' | 'openmetrics' = 'text'): Promise<string> {
  const response = await get(url, format === 'openmetrics' ? { accept: OPENMETRICS } : {});
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return body;
}

/** The value of one sample, found by its exact name and labels as written (without parsing a large exposition). */
function sampleValue(body: string, sample: string): number {
  const at = body.indexOf(`\n${sample} `);
  assert.ok(at >= 0, `no sample ${sample}`);
  return Number(body.slice(at + sample.length + 2, body.indexOf('\n', at + 1)));
}

function familyNames(families: readonly ParsedFamily[]): string[] {
  return families.map((family) => family.name);
}

describe("the sidecar's own metrics", () => {
  it('requests, points, scrapes (count, duration, bytes) by format move as the test pushes and scrapes', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      const first = parseExposition(await scrapeText(addresses.metrics.url), 'text');
      // Counted after it is rendered: a scrape sees those before it, every format and outcome from 0.
      for (const format of ['text', 'openmetrics']) {
        for (const outcome of ['completed', 'aborted']) assert.equal(valueOf(first, 'otel_prom_bridge_scrapes_total', { format, outcome }), 0);
      }
      assert.deepEqual(samplesOf(first, 'otel_prom_bridge_otlp_requests_total'), []);

      assert.equal((await push(addresses.otlpHttp.url, jsonRequest('self', [{ name: 'a', value: 1 }, { name: 'b', value: 2 }]))).status, 200);
      assert.equal((await push(addresses.otlpHttp.url, '{"resourceMetrics": [')).status, 400);
      const secondBody = await scrapeText(addresses.metrics.url);
      const second = parseExposition(secondBody, 'text');
      assert.equal(valueOf(second, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'success' }), 1);
      assert.equal(valueOf(second, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'malformed' }), 1);
      assert.equal(valueOf(second, 'otel_prom_bridge_otlp_data_points_total', { protocol: 'http', outcome: 'accepted' }), 2);
      assert.equal(valueOf(second, 'otel_prom_bridge_series'), 2);
      assert.equal(valueOf(second, 'otel_prom_bridge_scrapes_total', { format: 'text', outcome: 'completed' }), 1);
      assert.equal(valueOf(second, 'otel_prom_bridge_scrape_duration_seconds_count', { format: 'text' }), 1);
      assert.equal(valueOf(second, 'otel_prom_bridge_scrape_duration_seconds_bucket', { format: 'text', le: '+Inf' }), 1);
      assert.ok(valueOf(second, 'otel_prom_bridge_scrape_duration_seconds_sum', { format: 'text' }) > 0);
      const firstBytes = valueOf(second, 'otel_prom_bridge_scrape_bytes_total', { format: 'text' });
      assert.ok(firstBytes > 0);

      await scrapeText(addresses.metrics.url, 'openmetrics');
      const third = parseExposition(await scrapeText(addresses.metrics.url), 'text');
      assert.equal(valueOf(third, 'otel_prom_bridge_scrapes_total', { format: 'text', outcome: 'completed' }), 2);
      assert.equal(valueOf(third, 'otel_prom_bridge_scrapes_total', { format: 'openmetrics', outcome: 'completed' }), 1);
      assert.equal(valueOf(third, 'otel_prom_bridge_scrapes_total', { format: 'text', outcome: 'aborted' }), 0);
      assert.equal(valueOf(third, 'otel_prom_bridge_scrape_bytes_total', { format: 'text' }), firstBytes + Buffer.byteLength(secondBody, 'utf8'));
      assert.ok(valueOf(third, 'otel_prom_bridge_scrape_bytes_total', { format: 'openmetrics' }) > 0);
    } finally {
      await sidecar.stop();
    }
  });

  it('OTLP request durations, by protocol and outcome: a histogram in seconds whose count is the requests answered', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      assert.equal((await push(addresses.otlpHttp.url, jsonRequest('timed', [{ name: 'a', value: 1 }]))).status, 200);
      assert.equal((await push(addresses.otlpHttp.url, jsonRequest('timed', [{ name: 'a', value: 2 }]))).status, 200);
      assert.equal((await push(addresses.otlpHttp.url, '{"resourceMetrics": [')).status, 400);
      const body = await scrapeText(addresses.metrics.url);
      assert.match(body, /# TYPE otel_prom_bridge_otlp_request_duration_seconds histogram\n/);
      const families = parseExposition(body, 'text');
      for (const [outcome, requests] of [['success', 2], ['malformed', 1]] as const) {
        const labels = { protocol: 'http', outcome };
        assert.equal(valueOf(families, 'otel_prom_bridge_otlp_request_duration_seconds_count', labels), requests, outcome);
        assert.equal(valueOf(families, 'otel_prom_bridge_otlp_request_duration_seconds_bucket', { ...labels, le: '+Inf' }), requests, outcome);
        const sum = valueOf(families, 'otel_prom_bridge_otlp_request_duration_seconds_sum', labels);
        assert.ok(sum > 0 && sum < TIMEOUT_MS / 1000, `${outcome}: ${sum} s in all`);
      }
      const openMetrics = await scrapeText(addresses.metrics.url, 'openmetrics');
      assert.match(openMetrics, /# UNIT otel_prom_bridge_otlp_request_duration_seconds seconds\n/);
    } finally {
      await sidecar.stop();
    }
  });

  it('a scrape the client cuts off counts as aborted, not completed; its duration and bytes are not counted', { timeout: 60_000 }, async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      // About 12 MB of exposition: far more than the sidecar renders before it sees the connection close.
      const longValue = 'v'.repeat(500);
      for (let batch = 0; batch < 10; batch++) {
        const points: PointSpec[] = Array.from({ length: 2000 }, (_, i) => ({ kind: 'counter', series: `${batch}-${i}-${longValue}`, value: i }));
        const spec = { service: 'big', temporality: 'cumulative', startNs: 1n, timeNs: 2n, counterName: 'big.requests', histogramName: 'unused', bounds: [], points } as const;
        assert.deepEqual(await postExport(addresses.otlpHttp.url, 'protobuf', buildProtobufRequest(spec)), { kind: 'accepted' });
      }
      const before = (await sidecar.render()).body;
      const wholeBytes = Buffer.byteLength(before, 'utf8');
      assert.ok(wholeBytes > 10_000_000, `${wholeBytes} bytes`);

      const socket = connect(addresses.metrics.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n');
      await once(socket, 'data');
      socket.destroy();

      // Each look is a whole scrape of its own (in-process), counted as completed by the next one.
      let looks = 0;
      const after = await pollUntil(
        'the cut-off scrape to be counted',
        async () => {
          const body = (await sidecar.render()).body;
          looks++;
          return sampleValue(body, 'otel_prom_bridge_scrapes_total{format="text",outcome="aborted"}') === 1 ? body : undefined;
        },
        TIMEOUT_MS,
      );
      const grew = (sample: string) => sampleValue(after, sample) - sampleValue(before, sample);
      assert.equal(grew('otel_prom_bridge_scrapes_total{format="text",outcome="completed"}'), looks, 'the looks only');
      assert.equal(grew('otel_prom_bridge_scrape_duration_seconds_count{format="text"}'), looks);
      // The looks' bytes only (their own metrics differ by a few digits): nothing of the cut-off scrape.
      assert.ok(Math.abs(grew('otel_prom_bridge_scrape_bytes_total{format="text"}') - looks * wholeBytes) < 1000 * looks);
    } finally {
      await sidecar.stop();
    }
  });

  it('series expired count up as the sweep removes them (injected clock); cardinality-limit hits are the drop reason', async () => {
    let now = 1_700_000_000_000;
    const { sidecar, addresses } = await startSidecar({ clock: () => now, metricExpirationMs: 60_000, maxSeries: 2 });
    try {
      const pushed = await push(addresses.otlpHttp.url, jsonRequest('fading', [{ name: 'a', value: 1 }, { name: 'b', value: 1 }, { name: 'c', value: 1 }]));
      assert.equal(pushed.status, 200);
      let families = await scrape(addresses);
      assert.equal(valueOf(families, 'otel_prom_bridge_series_expired_total'), 0);
      assert.equal(valueOf(families, 'otel_prom_bridge_translation_dropped_total', { reason: 'cardinality_limit' }), 1);
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_data_points_total', { protocol: 'http', outcome: 'rejected' }), 1);
      assert.ok(!familyNames(families).some((name) => name.includes('cardinality_limit')), 'no second metric for cardinality-limit hits');

      now += 60_001;
      assert.equal(sidecar.sweep(), 2);
      families = await scrape(addresses);
      assert.equal(valueOf(families, 'otel_prom_bridge_series_expired_total'), 2);
      assert.equal(valueOf(families, 'otel_prom_bridge_series'), 0);
    } finally {
      await sidecar.stop();
    }
  });

  it('when each pushing resource last pushed, by its own job and instance (injected clock), gone once its series expire', async () => {
    let now = 1_700_000_000_000;
    const { sidecar, addresses } = await startSidecar({ clock: () => now, metricExpirationMs: 60_000 });
    const resource = (attributes: Record<string, string>) =>
      JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })) },
            scopeMetrics: [{ scope: { name: 'pusher' }, metrics: [{ name: 'pushed', gauge: { dataPoints: [{ timeUnixNano: `${now}000000`, asInt: '1' }] } }] }],
          },
        ],
      });
    const metric = 'otel_prom_bridge_resource_last_push_timestamp_seconds';
    try {
      assert.deepEqual(samplesOf(await scrape(addresses), metric), [], 'none before a push');
      assert.equal((await push(addresses.otlpHttp.url, resource({ 'service.namespace': 'shop', 'service.name': 'cart', 'service.instance.id': 'cart-1' }))).status, 200);
      now += 10_000;
      assert.equal((await push(addresses.otlpHttp.url, resource({ 'service.name': 'lonely' }))).status, 200);
      now += 5_000;
      const text = await scrapeText(addresses.metrics.url);
      assert.match(text, new RegExp(`# TYPE ${metric} gauge\n`));
      const families = parseExposition(text, 'text');
      assert.equal(valueOf(families, metric, { job: 'shop/cart', instance: 'cart-1' }), 1_700_000_000);
      // No service.instance.id: no instance label, as on the resource's own series (Prometheus gives it the target's).
      const lonely = samplesOf(families, metric, { job: 'lonely' });
      assert.deepEqual(lonely.map((sample) => [sample.labels, sample.value]), [[{ job: 'lonely' }, 1_700_000_010]]);
      assert.match(await scrapeText(addresses.metrics.url, 'openmetrics'), new RegExp(`# UNIT ${metric} seconds\n`));

      // The first resource pushes again; then both stay silent past the expiration time.
      assert.equal((await push(addresses.otlpHttp.url, resource({ 'service.namespace': 'shop', 'service.name': 'cart', 'service.instance.id': 'cart-1' }))).status, 200);
      assert.equal(valueOf(await scrape(addresses), metric, { job: 'shop/cart', instance: 'cart-1' }), 1_700_000_015);
      now += 60_001 - 5_000;
      sidecar.sweep();
      assert.deepEqual(samplesOf(await scrape(addresses), metric).map((sample) => sample.labels.job), ['shop/cart'], 'the one silent past the expiration is gone');
      now += 60_000;
      sidecar.sweep();
      assert.deepEqual(samplesOf(await scrape(addresses), metric), []);
    } finally {
      await sidecar.stop();
    }
  });

  it('build_info and prom-client default process and Node.js metrics, in both formats', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      for (const format of ['text', 'openmetrics'] as const) {
        const families = parseExposition(await scrapeText(addresses.metrics.url, format), format);
        assert.equal(valueOf(families, 'otel_prom_bridge_build_info', { version: VERSION, node_version: process.versions.node }), 1);
        const names = familyNames(families);
        for (const name of ['process_cpu_user_seconds', 'process_start_time_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
          assert.ok(names.some((family) => family === name || family === `${name}_total`), `${name} in ${format}: ${names.join(', ')}`);
        }
        for (const name of PROCESS_METRICS_LEFT_OUT) assert.ok(!names.includes(name), `${name} (a gauge named _total) is left out`);
        const duration = families.find((family) => family.name === 'otel_prom_bridge_scrape_duration_seconds');
        assert.equal(duration?.type, 'histogram');
        if (format === 'openmetrics') assert.equal(duration?.unit, 'seconds');
      }
    } finally {
      await sidecar.stop();
    }
  });

  it('self_metrics off: only the pushed data, still served', async () => {
    const { sidecar, addresses } = await startSidecar({ selfMetrics: false });
    try {
      assert.equal((await push(addresses.otlpHttp.url, jsonRequest('quiet', [{ name: 'kept', value: 4 }]))).status, 200);
      await scrapeText(addresses.metrics.url);
      const families = await scrape(addresses);
      assert.equal(valueOf(families, 'kept_total', { job: 'quiet' }), 4);
      const own = familyNames(families).filter((name) => /^(otel_prom_bridge_|process_|nodejs_)/.test(name));
      assert.deepEqual(own, []);
    } finally {
      await sidecar.stop();
    }
  });

  it('promtool check metrics finds no problem in the exposition', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      // One metric with a description, one without: both get a HELP line, as promtool wants.
      const body = JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'linted' } }] },
            scopeMetrics: [
              {
                scope: { name: 'lint' },
                metrics: [
                  {
                    name: 'jobs.done',
                    description: 'Jobs done.',
                    sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: '1700000000000000000', timeUnixNano: '1700000060000000000', asDouble: 3 }] },
                  },
                  { name: 'queue.size', unit: '{job}', gauge: { dataPoints: [{ timeUnixNano: '1700000060000000000', asDouble: 2 }] } },
                ],
              },
            ],
          },
        ],
      });
      assert.equal((await push(addresses.otlpHttp.url, body)).status, 200);
      await scrapeText(addresses.metrics.url, 'openmetrics');
      const text = await scrapeText(addresses.metrics.url);
      assert.match(text, /^otel_prom_bridge_scrapes_total\{format="openmetrics",outcome="completed"\} 1$/m);
      assert.match(text, /^# HELP queue_size queue\.size \(OpenTelemetry gauge, unit \{job\}; no description given\)$/m);
      const { exitCode, output } = await checkMetricsWithPromtool(text);
      const problems = output.split('\n').filter((line) => line.trim() !== '');
      assert.ok(!problems.some((line) => line.endsWith('no help text')), `a family without HELP:\n${output}`);
      assert.deepEqual(problems, [], `promtool check metrics reported problems on:\n${text}`);
      assert.equal(exitCode, 0);
    } finally {
      await sidecar.stop();
    }
  });
});
