/**
 * `@prometheus-io/client`, prom-client's successor in the Prometheus organisation, in the same
 * endpoint: its registries merged like prom-client's (alone, and together with prom-client's),
 * in both text formats, and its aggregating registries (ClusterRegistry, WorkerRegistry with real
 * worker threads) through the output they aggregate.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import * as prometheusIo from '@prometheus-io/client';
import * as promClient from 'prom-client';
import { PrometheusExporter, type ExporterConfig } from '../../src/index.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { findSamples, parseSamples, sampleValue } from '../helpers/parseSamples.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { recordingLogger } from '../helpers/recordingLogger.ts';

const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function createExporter(config: ExporterConfig): { exporter: PrometheusExporter; provider: MeterProvider; logger: ReturnType<typeof recordingLogger> } {
  const logger = recordingLogger();
  const exporter = new PrometheusExporter({ preventServerStart: true, logger, ...config });
  const provider = new MeterProvider({ readers: [exporter] });
  providers.push(provider);
  return { exporter, provider, logger };
}

/** One metric of each type in a registry of `@prometheus-io/client`. */
function prometheusIoRegistry(): prometheusIo.Registry {
  const registry = new prometheusIo.Registry();
  new prometheusIo.Counter({ name: 'io_jobs_total', help: 'Jobs', labelNames: ['queue'], registers: [registry] }).inc({ queue: 'mail' }, 3);
  new prometheusIo.Gauge({ name: 'io_pool_size', help: 'Pool size', registers: [registry] }).set(8);
  const histogram = new prometheusIo.Histogram({ name: 'io_task_duration_seconds', help: 'Task time', labelNames: ['kind'], buckets: [0.1, 1], registers: [registry] });
  for (const seconds of [0.05, 0.5, 2]) histogram.observe({ kind: 'io' }, seconds);
  const summary = new prometheusIo.Summary({ name: 'io_payload_bytes', help: 'Payload size', percentiles: [0.5], registers: [registry] });
  summary.observe(100);
  summary.observe(300);
  return registry;
}

for (const format of [
  { name: 'text 0.0.4', accept: undefined, parse: 'text' },
  { name: 'OpenMetrics', accept: OPENMETRICS_ACCEPT, parse: 'openmetrics' },
] as const) {
  describe(`@prometheus-io/client registries in ${format.name}`, () => {
    it('serves its counter, gauge, histogram and summary beside the OpenTelemetry metrics', async () => {
      const { exporter, provider } = createExporter({ promClientRegistries: [prometheusIoRegistry()] });
      provider.getMeter('otel-side').createCounter('otel_events', { description: 'Events.' }).add(1);
      const { body } = await exporter.render(format.accept);
      const families = parseExposition(body, format.parse); // throws on malformed output
      const samples = parseSamples(body);
      assert.equal(sampleValue(samples, 'io_jobs_total', { queue: 'mail' }), 3);
      assert.equal(sampleValue(samples, 'io_pool_size', {}), 8);
      assert.equal(sampleValue(samples, 'io_task_duration_seconds_bucket', { kind: 'io', le: '0.1' }), 1);
      assert.equal(sampleValue(samples, 'io_task_duration_seconds_bucket', { kind: 'io', le: '1' }), 2);
      assert.equal(sampleValue(samples, 'io_task_duration_seconds_bucket', { kind: 'io', le: '+Inf' }), 3);
      assert.equal(sampleValue(samples, 'io_task_duration_seconds_count', { kind: 'io' }), 3);
      // Its summary's _sum and _count come without labels in its JSON: still read.
      assert.equal(sampleValue(samples, 'io_payload_bytes_sum', {}), 400);
      assert.equal(sampleValue(samples, 'io_payload_bytes_count', {}), 2);
      assert.equal(sampleValue(samples, 'otel_events_total', { otel_scope_name: 'otel-side' }), 1);
      const types = Object.fromEntries(families.map((family) => [family.name, family.type]));
      assert.equal(types.io_task_duration_seconds, 'histogram');
      assert.equal(types.io_payload_bytes, 'summary');
    });

    it('with prom-client\'s registries in the same endpoint: one family per name, each series once, the first registry winning a conflict', async () => {
      const fromPromClient = new promClient.Registry();
      new promClient.Counter({ name: 'app_requests_total', help: 'Requests (prom-client)', labelNames: ['route'], registers: [fromPromClient] }).inc({ route: '/a' }, 2);
      new promClient.Gauge({ name: 'app_mode', help: 'Mode', registers: [fromPromClient] }).set(1);
      const fromPrometheusIo = new prometheusIo.Registry();
      new prometheusIo.Counter({ name: 'app_requests_total', help: 'Requests (@prometheus-io/client)', labelNames: ['route'], registers: [fromPrometheusIo] }).inc({ route: '/b' }, 5);
      new prometheusIo.Counter({ name: 'app_mode', help: 'Mode as a counter', registers: [fromPrometheusIo] }).inc(9);
      const { exporter } = createExporter({ promClientRegistries: [fromPromClient, fromPrometheusIo] });
      const { body } = await exporter.render(format.accept);
      const samples = parseSamples(body);
      assert.equal(sampleValue(samples, 'app_requests_total', { route: '/a' }), 2);
      assert.equal(sampleValue(samples, 'app_requests_total', { route: '/b' }), 5);
      assert.equal(body.match(/^# TYPE app_requests(_total)? counter$/gm)?.length, 1);
      assert.match(body, /^# HELP app_requests(_total)? Requests \(prom-client\)$/m);
      assert.deepEqual(findSamples(samples, 'app_mode').map((sample) => sample.value), [1]);
      assert.equal(sampleValue(samples, 'otel_prom_bridge_translation_dropped_total', { reason: 'type_conflict' }), 1);
    });
  });
}

describe('@prometheus-io/client aggregating registries', () => {
  it('ClusterRegistry: what clusterMetrics() aggregates (here the primary\'s own registries) is served', async () => {
    const registry = prometheusIoRegistry();
    prometheusIo.ClusterRegistry.setRegistries([registry]);
    const cluster = new prometheusIo.ClusterRegistry();
    const { exporter } = createExporter({ promClientRegistries: [cluster] });
    const samples = parseSamples((await exporter.render(undefined)).body);
    assert.equal(sampleValue(samples, 'io_jobs_total', { queue: 'mail' }), 3);
    assert.equal(sampleValue(samples, 'io_task_duration_seconds_bucket', { kind: 'io', le: '1' }), 2);
    assert.equal(sampleValue(samples, 'io_payload_bytes_count', {}), 2);
  });

  it('WorkerRegistry: the counters and histograms of two worker threads added up', async () => {
    const primary = new prometheusIo.WorkerRegistry();
    const workers = [
      new Worker(new URL('./fixtures/prometheusIoWorker.mjs', import.meta.url), { workerData: { jobs: 2, durations: [0.05] } }),
      new Worker(new URL('./fixtures/prometheusIoWorker.mjs', import.meta.url), { workerData: { jobs: 3, durations: [0.5, 5] } }),
    ];
    try {
      await Promise.all(workers.map((worker) => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))));
      const { exporter, logger } = createExporter({ promClientRegistries: [primary] });
      const samples = await pollUntil('both workers aggregated', async () => {
        const parsed = parseSamples((await exporter.render(undefined)).body);
        return findSamples(parsed, 'worker_jobs_total').some((sample) => sample.value === 5) ? parsed : undefined;
      });
      assert.equal(sampleValue(samples, 'worker_jobs_total', { queue: 'mail' }), 5);
      assert.equal(sampleValue(samples, 'worker_job_duration_seconds_bucket', { le: '0.1' }), 1);
      assert.equal(sampleValue(samples, 'worker_job_duration_seconds_bucket', { le: '1' }), 2);
      assert.equal(sampleValue(samples, 'worker_job_duration_seconds_count', {}), 3);
      assert.deepEqual(logger.warnings, []);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  });
});
