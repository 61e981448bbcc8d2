import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { PrometheusExporter, type ExporterConfig } from '../../src/index.ts';
import { findSamples, parseSamples, sampleValue } from '../helpers/parseSamples.ts';
import { recordingLogger } from '../helpers/recordingLogger.ts';

const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
const DROPPED = 'otel_prom_bridge_translation_dropped_total';

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

/** A serverless exporter registered with a real MeterProvider. */
function createExporter(config: ExporterConfig): { exporter: PrometheusExporter; provider: MeterProvider } {
  const exporter = new PrometheusExporter({ preventServerStart: true, logger: recordingLogger(), ...config });
  const provider = new MeterProvider({ readers: [exporter] });
  providers.push(provider);
  return { exporter, provider };
}

/** Two registries, one of each prom-client metric type between them, every one with labels. */
function buildRegistries(): [Registry, Registry] {
  const registryA = new Registry();
  const registryB = new Registry();
  new Counter({ name: 'jobs_processed_total', help: 'Jobs processed', labelNames: ['queue'], registers: [registryA] }).inc({ queue: 'mail' }, 3);
  new Gauge({ name: 'pool_size', help: 'Connections in the pool', labelNames: ['pool'], registers: [registryA] }).set({ pool: 'db' }, 8);
  const histogram = new Histogram({ name: 'task_duration_seconds', help: 'Task duration', labelNames: ['kind'], buckets: [0.1, 1], registers: [registryB] });
  histogram.observe({ kind: 'io' }, 0.05);
  histogram.observe({ kind: 'io' }, 0.5);
  histogram.observe({ kind: 'io' }, 2);
  const summary = new Summary({ name: 'payload_size_bytes', help: 'Payload size', labelNames: ['route'], percentiles: [0.5, 0.9], registers: [registryB] });
  summary.observe({ route: '/upload' }, 100);
  summary.observe({ route: '/upload' }, 100);
  return [registryA, registryB];
}

/** How a family is headed in each format (OpenMetrics names a counter family without `_total`). */
const formats = [
  { name: 'text 0.0.4', accept: undefined, counterFamily: (name: string) => name, eof: false },
  { name: 'OpenMetrics', accept: OPENMETRICS_ACCEPT, counterFamily: (name: string) => name.replace(/_total$/, ''), eof: true },
] as const;

for (const format of formats) {
  describe(`prom-client registries in ${format.name}`, () => {
    it('serves the counter, gauge, histogram and summary of every registry, with their labels', async () => {
      const { exporter, provider } = createExporter({ promClientRegistries: buildRegistries() });
      provider.getMeter('otel-side').createCounter('otel_events').add(1);
      const { body } = await exporter.render(format.accept);
      const samples = parseSamples(body);

      assert.match(body, new RegExp(`^# TYPE ${format.counterFamily('jobs_processed_total')} counter$`, 'm'));
      assert.equal(sampleValue(samples, 'jobs_processed_total', { queue: 'mail' }), 3);

      assert.match(body, /^# TYPE pool_size gauge$/m);
      assert.equal(sampleValue(samples, 'pool_size', { pool: 'db' }), 8);

      assert.match(body, /^# TYPE task_duration_seconds histogram$/m);
      assert.equal(sampleValue(samples, 'task_duration_seconds_bucket', { kind: 'io', le: '0.1' }), 1);
      assert.equal(sampleValue(samples, 'task_duration_seconds_bucket', { kind: 'io', le: '1' }), 2);
      assert.equal(sampleValue(samples, 'task_duration_seconds_bucket', { kind: 'io', le: '+Inf' }), 3);
      assert.equal(sampleValue(samples, 'task_duration_seconds_sum', { kind: 'io' }), 2.55);
      assert.equal(sampleValue(samples, 'task_duration_seconds_count', { kind: 'io' }), 3);

      assert.match(body, /^# TYPE payload_size_bytes summary$/m);
      assert.equal(sampleValue(samples, 'payload_size_bytes', { route: '/upload', quantile: '0.5' }), 100);
      assert.equal(sampleValue(samples, 'payload_size_bytes', { route: '/upload', quantile: '0.9' }), 100);
      assert.equal(sampleValue(samples, 'payload_size_bytes_sum', { route: '/upload' }), 200);
      assert.equal(sampleValue(samples, 'payload_size_bytes_count', { route: '/upload' }), 2);

      assert.equal(sampleValue(samples, 'otel_events_total', { otel_scope_name: 'otel-side' }), 1);
      assert.equal(findSamples(samples, DROPPED).length, 0, 'nothing should have been dropped');
      assert.equal(body.endsWith('# EOF\n'), format.eof);
    });

    it('merges a prom-client metric with the OTel one of the same name and type into one family', async () => {
      const registry = new Registry();
      new Counter({ name: 'shared_requests_total', help: 'Requests (prom-client)', labelNames: ['source'], registers: [registry] }).inc({ source: 'prom' }, 2);
      const { exporter, provider } = createExporter({ promClientRegistries: [registry] });
      provider.getMeter('otel-side').createCounter('shared_requests', { description: 'Requests (OTel)' }).add(5, { source: 'otel' });

      const { body } = await exporter.render(format.accept);
      const family = format.counterFamily('shared_requests_total');
      assert.equal(body.match(new RegExp(`^# TYPE ${family} `, 'gm'))?.length, 1, body);
      assert.equal(body.match(new RegExp(`^# HELP ${family} `, 'gm'))?.length, 1, body);
      const samples = parseSamples(body);
      assert.equal(sampleValue(samples, 'shared_requests_total', { source: 'otel' }), 5);
      assert.equal(sampleValue(samples, 'shared_requests_total', { source: 'prom' }), 2);
      // The family's samples stay together, as one family must.
      const lines = body.split('\n').filter((line) => line.startsWith('shared_requests_total'));
      const first = body.split('\n').indexOf(lines[0]!);
      assert.deepEqual(body.split('\n').slice(first, first + lines.length), lines);
      assert.equal(exporter.droppedCounts().size, 0);
    });

    it('drops a prom-client metric whose name an OTel metric of another type has, and counts it', async () => {
      const registry = new Registry();
      new Gauge({ name: 'workers_total', help: 'A gauge by a counter’s name', registers: [registry] }).set(9);
      const { exporter, provider } = createExporter({ promClientRegistries: [registry] });
      provider.getMeter('otel-side').createCounter('workers').add(4);

      const { body } = await exporter.render(format.accept);
      const samples = parseSamples(body);
      assert.equal(findSamples(samples, /^workers_total$/).length, 1);
      assert.equal(sampleValue(samples, 'workers_total'), 4);
      assert.doesNotMatch(body, /gauge.*workers|workers.* gauge/);
      assert.equal(exporter.droppedCounts().get('type_conflict'), 1);
      assert.equal(sampleValue(samples, DROPPED, { reason: 'type_conflict' }), 1);

      // Dropped again on the next scrape, and counted again.
      const again = parseSamples((await exporter.render(format.accept)).body);
      assert.equal(exporter.droppedCounts().get('type_conflict'), 2);
      assert.equal(sampleValue(again, DROPPED, { reason: 'type_conflict' }), 2);
    });
  });
}

describe('prom-client registries: failures', () => {
  it('two registries with one metric name of different types: the first wins, the other is counted', async () => {
    const registryA = new Registry();
    const registryB = new Registry();
    new Counter({ name: 'events_total', help: 'A', registers: [registryA] }).inc(1);
    new Gauge({ name: 'events_total', help: 'B', registers: [registryB] }).set(50);
    const { exporter } = createExporter({ promClientRegistries: [registryA, registryB] });
    const samples = parseSamples((await exporter.render()).body);
    assert.equal(sampleValue(samples, 'events_total'), 1);
    assert.equal(exporter.droppedCounts().get('type_conflict'), 1);
  });

  it('a registry whose collect fails is skipped and counted; the others are served', async () => {
    const broken = new Registry();
    new Gauge({
      name: 'broken_gauge',
      help: 'Fails to collect',
      registers: [broken],
      collect() {
        throw new Error('collector exploded');
      },
    });
    const [registryA] = buildRegistries();
    const logger = recordingLogger();
    const exporter = new PrometheusExporter({ preventServerStart: true, logger, promClientRegistries: [broken, registryA] });
    providers.push(new MeterProvider({ readers: [exporter] }));
    const samples = parseSamples((await exporter.render()).body);
    assert.equal(sampleValue(samples, 'pool_size', { pool: 'db' }), 8);
    assert.equal(findSamples(samples, 'broken_gauge').length, 0);
    assert.equal(exporter.droppedCounts().get('prom_client_collect_failed'), 1);
    assert.equal(sampleValue(samples, DROPPED, { reason: 'prom_client_collect_failed' }), 1);
    assert.ok(logger.warnings.some((warning) => warning.includes('collector exploded')), logger.warnings.join('\n'));
  });
});

describe('promClientDefaultMetrics', () => {
  it('true adds prom-client’s process and Node.js metrics', async () => {
    const { exporter } = createExporter({ promClientDefaultMetrics: true });
    for (const accept of [undefined, OPENMETRICS_ACCEPT]) {
      const samples = parseSamples((await exporter.render(accept)).body);
      const cpu = findSamples(samples, 'process_cpu_user_seconds_total');
      assert.equal(cpu.length, 1);
      assert.ok(cpu[0]!.value >= 0);
      const heap = findSamples(samples, 'nodejs_heap_size_total_bytes');
      assert.equal(heap.length, 1);
      assert.ok(heap[0]!.value > 0);
    }
  });

  it('takes prom-client’s configuration, such as a prefix', async () => {
    const { exporter } = createExporter({ promClientDefaultMetrics: { prefix: 'myapp_' } });
    const samples = parseSamples((await exporter.render()).body);
    assert.equal(findSamples(samples, 'myapp_process_cpu_user_seconds_total').length, 1);
    assert.equal(findSamples(samples, 'process_cpu_user_seconds_total').length, 0);
  });

  it('is off by default', async () => {
    const { exporter } = createExporter({});
    assert.equal(findSamples(parseSamples((await exporter.render()).body), 'process_cpu_user_seconds_total').length, 0);
  });
});
