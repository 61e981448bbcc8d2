/**
 * End to end: a real MeterProvider with our PrometheusExporter, scraped by a real Prometheus 2.42
 * in both exposition formats, and checked through PromQL. Prometheus 2.42 always prefers
 * OpenMetrics, so the text 0.0.4 job scrapes a second route (our metricsPlugin on a separate
 * fastify app) that serves text whatever the Accept header says.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import Fastify, { type FastifyInstance } from 'fastify';
import { metricsPlugin, PrometheusExporter, type MetricsSource } from '../../src/index.ts';
import {
  checkMetricsWithPromtool,
  requireExecutable,
  skipUnlessInstalled,
  startPrometheus,
  type Labels,
  type RunningPrometheus,
  type VectorSample,
} from '../helpers/prometheus.ts';

/** What Prometheus 2.42 sends by default. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
/** Prometheus 2.42 names no escaping: legacy names, and a content type saying so. */
const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores';
const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';
const TEXT_PATH = '/metrics-text';

const JOBS = [
  { job: 'openmetrics', format: 'OpenMetrics 1.0' },
  { job: 'text', format: 'text 0.0.4' },
] as const;

const SCOPE = { otel_scope_name: 'e2e-meter', otel_scope_version: '1.2.3' };

const RESOURCE = {
  'service.name': 'otel-prom-bridge-e2e',
  'service.version': '0.1.0',
  'deployment.environment.name': 'stage "blue" \\ east\nsecond line',
};
const TARGET_INFO_LABELS = {
  service_name: 'otel-prom-bridge-e2e',
  service_version: '0.1.0',
  deployment_environment_name: 'stage "blue" \\ east\nsecond line',
};

/** Label values that need escaping or are outside ASCII; each is one series of the counter. */
const HOSTILE_VALUES = [
  'back\\slash',
  'ends with a backslash \\',
  '"double quoted"',
  'first line\nsecond line',
  'a backslash then n: \\n, and a real newline: \n',
  '\\"\\\\"\n',
  'ünïcödé, 日本語, Ελληνικά, emoji 🎉',
  'tab\there',
] as const;

/** Each series' value: the counter of each hostile value is its index + 10. */
const COLLIDING_VALUE = 7;
const UP_DOWN_VALUE = -3; // +5, then -8
const GAUGE_VALUE = 0.25;
const OBSERVED_VALUE = 21.5;
const COUNTER_HELP = 'Requests served, with "quotes", a back\\slash and a\nnewline';
const UP_DOWN_HELP = 'Items waiting';
const GAUGE_HELP = 'Share of one core in use';
const HISTOGRAM_HELP = 'Operation duration';
const OBSERVED_HELP = 'Room temperature';
/** Exactly representable, so sums compare exactly. */
const HISTOGRAM_RECORDINGS = [0.0625, 0.25, 0.75, 0.75, 2];
const HISTOGRAM_BOUNDARIES = [0.1, 0.5, 1, 5];
const HISTOGRAM_BUCKETS: Record<string, number> = { '0.1': 1, '0.5': 2, '1': 4, '5': 5, '+Inf': 5 };
const HISTOGRAM_SUM = 3.8125;

/** The names each job must have stored, besides Prometheus' own `up` and `scrape_*`. */
const EXPECTED_NAMES = [
  'cpu_usage_ratio',
  'http_requests_total',
  'op_duration_seconds_bucket',
  'op_duration_seconds_count',
  'op_duration_seconds_sum',
  'queue_depth',
  'room_temperature_celsius',
  'target_info',
];

const skip = skipUnlessInstalled(['prometheus', 'promtool']);

describe('a real Prometheus scraping the exporter', { skip, timeout: 60_000 }, () => {
  let provider: MeterProvider | undefined;
  let exporter: PrometheusExporter | undefined;
  let textApp: FastifyInstance | undefined;
  let prometheus: RunningPrometheus | undefined;
  const instances = new Map<string, string>();

  before(async () => {
    requireExecutable('prometheus');
    exporter = new PrometheusExporter({ port: 0, host: '127.0.0.1' });
    provider = new MeterProvider({ resource: resourceFromAttributes(RESOURCE), readers: [exporter] });
    recordMetrics(provider);
    await exporter.startServer();
    const bound = exporter.address();
    assert.ok(bound, 'the exporter reports its address once started');

    const exporterRef = exporter;
    const textOnly: MetricsSource = { render: () => exporterRef.render(undefined), isReady: () => true };
    textApp = Fastify({ logger: false });
    await textApp.register(metricsPlugin, { source: textOnly, path: TEXT_PATH });
    await textApp.listen({ host: '127.0.0.1', port: 0 });
    const textAddress = textApp.server.address();
    assert.ok(textAddress !== null && typeof textAddress === 'object');

    instances.set('openmetrics', `127.0.0.1:${bound.port}`);
    instances.set('text', `127.0.0.1:${textAddress.port}`);
    prometheus = await startPrometheus({
      scrapeIntervalSeconds: 1,
      targets: [
        { job: 'openmetrics', target: bound.url },
        { job: 'text', target: `127.0.0.1:${textAddress.port}`, metricsPath: TEXT_PATH },
      ],
    });
    // Two good scrapes of each target: the first one is then committed and queryable.
    await prometheus.waitForScrapes(2);
  });

  after(async () => {
    const problems: unknown[] = [];
    for (const stop of [() => prometheus?.stop(), () => textApp?.close(), () => provider?.shutdown(), () => exporter?.stopServer()]) {
      try {
        await stop();
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw new AggregateError(problems, 'cleanup failed');
  });

  function prom(): RunningPrometheus {
    assert.ok(prometheus, 'prometheus started');
    return prometheus;
  }

  it('serves the formats each job is meant to scrape', async () => {
    const bound = exporter?.address();
    assert.ok(bound);
    const openMetrics = await fetch(bound.url, { headers: { accept: PROMETHEUS_ACCEPT }, signal: AbortSignal.timeout(5_000) });
    assert.equal(openMetrics.headers.get('content-type'), OPENMETRICS_CONTENT_TYPE);
    assert.match(await openMetrics.text(), /\n# EOF\n$/);
    const text = await fetch(`http://${instances.get('text')}${TEXT_PATH}`, {
      headers: { accept: PROMETHEUS_ACCEPT },
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(text.headers.get('content-type'), TEXT_CONTENT_TYPE);
    assert.doesNotMatch(await text.text(), /# EOF/);
  });

  for (const { job, format } of JOBS) {
    describe(`scraped as ${format} (job ${job})`, () => {
      const series = (promql: string): Promise<readonly VectorSample[]> => prom().queryVector(promql);
      const own = (labels: Labels): Labels => ({ ...labels, job, instance: instances.get(job) ?? '' });

      it('is up, and stores exactly the expected metric names', async () => {
        assert.deepEqual(valuesOf(await series(`up{job="${job}"}`)), [1]);
        const names = (await series(`group by (__name__) ({job="${job}", __name__!~"up|scrape_.+"})`))
          .map((sample) => sample.metric.__name__ ?? '')
          .sort();
        assert.deepEqual(names, EXPECTED_NAMES);
      });

      it('was scraped in that format, and kept every TYPE, HELP (hostile characters intact) and UNIT', async () => {
        // OpenMetrics names a counter's family without `_total` and carries units; text 0.0.4 does neither.
        const openMetrics = job === 'openmetrics';
        const metadata = await prom().api<readonly { metric: string; type: string; help: string; unit: string }[]>('targets/metadata', {
          match_target: `{job="${job}"}`,
        });
        const table = metadata.map(({ metric, type, help, unit }) => ({ metric, type, help, unit }));
        table.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
        assert.deepEqual(table, [
          { metric: 'cpu_usage_ratio', type: 'gauge', help: GAUGE_HELP, unit: openMetrics ? 'ratio' : '' },
          { metric: openMetrics ? 'http_requests' : 'http_requests_total', type: 'counter', help: COUNTER_HELP, unit: '' },
          { metric: 'op_duration_seconds', type: 'histogram', help: HISTOGRAM_HELP, unit: openMetrics ? 'seconds' : '' },
          { metric: 'queue_depth', type: 'gauge', help: UP_DOWN_HELP, unit: '' },
          { metric: 'room_temperature_celsius', type: 'gauge', help: OBSERVED_HELP, unit: openMetrics ? 'celsius' : '' },
          { metric: 'target_info', type: 'gauge', help: 'Target metadata', unit: '' },
        ]);
      });

      it('stores the counter with unit {request} as _total, colliding keys merged as a_b="x;y"', async () => {
        const merged = await series(`http_requests_total{job="${job}", a_b!=""}`);
        assert.deepEqual(
          merged.map((sample) => sample.metric),
          [own({ __name__: 'http_requests_total', a_b: 'x;y', ...SCOPE })],
        );
        assert.deepEqual(valuesOf(merged), [COLLIDING_VALUE]);
      });

      it('keeps hostile label values intact, character for character', async () => {
        const stored = await series(`http_requests_total{job="${job}", payload!=""}`);
        const byIndex = new Map(stored.map((sample) => [sample.metric.index, sample]));
        assert.equal(stored.length, HOSTILE_VALUES.length);
        for (const [index, value] of HOSTILE_VALUES.entries()) {
          const sample = byIndex.get(String(index));
          assert.ok(sample, `series index=${index} stored`);
          assert.deepEqual(sample.metric, own({ __name__: 'http_requests_total', payload: value, index: String(index), ...SCOPE }));
          assert.equal(Number(sample.value[1]), index + 10);
          // And an exact-match selector with the value as a PromQL string literal finds it.
          const selected = await series(`http_requests_total{job="${job}", payload=${JSON.stringify(value)}}`);
          assert.deepEqual(
            selected.map((s) => s.metric.index),
            [String(index)],
            `payload=${JSON.stringify(value)}`,
          );
        }
      });

      it('stores the UpDownCounter, the Gauge (unit 1 as _ratio) and the ObservableGauge with their exact values', async () => {
        const upDown = await series(`queue_depth{job="${job}"}`);
        assert.deepEqual(upDown.map((sample) => sample.metric), [own({ __name__: 'queue_depth', ...SCOPE })]);
        assert.deepEqual(valuesOf(upDown), [UP_DOWN_VALUE]);

        const gauge = await series(`cpu_usage_ratio{job="${job}"}`);
        assert.deepEqual(gauge.map((sample) => sample.metric), [own({ __name__: 'cpu_usage_ratio', core: '0', ...SCOPE })]);
        assert.deepEqual(valuesOf(gauge), [GAUGE_VALUE]);

        const observed = await series(`room_temperature_celsius{job="${job}"}`);
        assert.deepEqual(observed.map((sample) => sample.metric), [own({ __name__: 'room_temperature_celsius', room: 'lab ü', ...SCOPE })]);
        assert.deepEqual(valuesOf(observed), [OBSERVED_VALUE]);
      });

      it('stores the histogram: each bucket, _sum, and _count equal to the le="+Inf" bucket', async () => {
        const buckets = await series(`op_duration_seconds_bucket{job="${job}"}`);
        // As numbers: Prometheus 2.42 stores `le` as written (`1`), Prometheus 3 normalizes it (`1.0`).
        const byLe = Object.fromEntries(buckets.map((sample) => [normalizeLe(sample.metric.le), Number(sample.value[1])]));
        assert.deepEqual(byLe, HISTOGRAM_BUCKETS);
        for (const sample of buckets) {
          const { le: _le, ...rest } = sample.metric;
          assert.deepEqual(rest, own({ __name__: 'op_duration_seconds_bucket', ...SCOPE }));
        }
        assert.deepEqual(valuesOf(await series(`op_duration_seconds_sum{job="${job}"}`)), [HISTOGRAM_SUM]);
        const count = valuesOf(await series(`op_duration_seconds_count{job="${job}"}`));
        const inf = valuesOf(await series(`op_duration_seconds_bucket{job="${job}", le="+Inf"}`));
        assert.deepEqual(count, [HISTOGRAM_RECORDINGS.length]);
        assert.deepEqual(count, inf);
      });

      it('answers histogram_quantile(0.9) inside the bucket that holds the 90th percentile', async () => {
        // 5 recordings, rank 4.5: past the 4 at or below 1, within the 5 at or below 5.
        const quantile = valuesOf(await series(`histogram_quantile(0.9, op_duration_seconds_bucket{job="${job}"})`));
        assert.equal(quantile.length, 1);
        const [value = Number.NaN] = quantile;
        assert.ok(value > 1 && value <= 5, `0.9 quantile ${value} should be in (1, 5]`);
        // Prometheus interpolates linearly within the bucket: 1 + (5 - 1) * (4.5 - 4) / (5 - 4).
        assert.equal(value, 3);
      });

      it('stores target_info with the resource attributes, hostile characters intact', async () => {
        const info = await series(`target_info{job="${job}"}`);
        assert.deepEqual(info.map((sample) => sample.metric), [own({ __name__: 'target_info', ...TARGET_INFO_LABELS })]);
        assert.deepEqual(valuesOf(info), [1]);
      });
    });
  }

  it('both jobs stored the same values for every series', async () => {
    const strip = (sample: VectorSample): string => {
      const { job: _job, instance: _instance, ...rest } = sample.metric;
      return `${JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))} ${sample.value[1]}`;
    };
    const [om, text] = await Promise.all(
      JOBS.map(async ({ job }) => (await prom().queryVector(`{job="${job}", __name__!~"up|scrape_.+"}`)).map(strip).sort()),
    );
    assert.ok(om && om.length > 0);
    assert.deepEqual(om, text);
  });

  it('promtool check metrics finds no problem in the text exposition', async () => {
    requireExecutable('promtool');
    assert.ok(exporter);
    const { contentType, body } = await exporter.render(undefined);
    assert.equal(contentType, TEXT_CONTENT_TYPE);
    const { exitCode, output } = await checkMetricsWithPromtool(body);
    const problems = output.split('\n').filter((line) => line.trim() !== '');
    assert.deepEqual(problems, [], `promtool check metrics reported problems on:\n${body}`);
    assert.equal(exitCode, 0);
  });

  it('promtool finds a HELP line for instruments without a description (no "no help text")', async () => {
    const undocumented = new PrometheusExporter({ preventServerStart: true });
    const undocumentedProvider = new MeterProvider({ readers: [undocumented] });
    try {
      const meter = undocumentedProvider.getMeter('undocumented');
      meter.createCounter('jobs.done').add(2);
      meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [1] } }).record(0.5);
      meter.createUpDownCounter('queue.size').add(1);
      const { body } = await undocumented.render(undefined);
      assert.match(body, /^# HELP job_duration_seconds job\.duration \(OpenTelemetry histogram, unit s; no description given\)$/m);
      const { exitCode, output } = await checkMetricsWithPromtool(body);
      assert.ok(!/no help text/.test(output), `promtool found a family without HELP:\n${output}\n${body}`);
      assert.equal(exitCode, 0, output);
    } finally {
      await undocumentedProvider.shutdown();
    }
  });
});

/** Records the values the tests expect. Every instrument has a description, so promtool finds HELP. */
function recordMetrics(provider: MeterProvider): void {
  const meter = provider.getMeter('e2e-meter', '1.2.3');

  const requests = meter.createCounter('http.requests', {
    unit: '{request}',
    description: COUNTER_HELP,
  });
  requests.add(COLLIDING_VALUE, { 'a.b': 'x', a_b: 'y' });
  for (const [index, value] of HOSTILE_VALUES.entries()) requests.add(index + 10, { payload: value, index });

  const depth = meter.createUpDownCounter('queue.depth', { description: UP_DOWN_HELP });
  depth.add(5);
  depth.add(-8);

  const usage = meter.createGauge('cpu.usage', { unit: '1', description: GAUGE_HELP });
  usage.record(0.75, { core: '0' });
  usage.record(GAUGE_VALUE, { core: '0' });

  const duration = meter.createHistogram('op.duration', {
    unit: 's',
    description: HISTOGRAM_HELP,
    advice: { explicitBucketBoundaries: HISTOGRAM_BOUNDARIES },
  });
  for (const value of HISTOGRAM_RECORDINGS) duration.record(value);

  const temperature = meter.createObservableGauge('room.temperature', { unit: 'Cel', description: OBSERVED_HELP });
  temperature.addCallback((result) => result.observe(OBSERVED_VALUE, { room: 'lab ü' }));
}

function valuesOf(samples: readonly VectorSample[]): number[] {
  return samples.map((sample) => Number(sample.value[1]));
}

function normalizeLe(le: string | undefined): string {
  return le === undefined || le === '+Inf' ? String(le) : String(Number(le));
}
