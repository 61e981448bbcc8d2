/**
 * The histogram-bucket linter in the sidecar: a real MeterProvider pushes over OTLP/HTTP (the
 * official exporter); a histogram in seconds with the SDK's default boundaries is warned about once
 * (JSON log line at warn, here a recording logger), counted in
 * `otel_prom_bridge_histogram_bucket_warnings{metric,reason}` and shown on the status page and in
 * `/api/v1/status`; one in milliseconds, or with advice, is not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { recordingLogger } from '../helpers/recordingLogger.ts';
import { get, scrape, startSidecar, TIMEOUT_MS, valueOf } from './sidecarHarness.ts';

const WARNING = 'otel_prom_bridge_histogram_bucket_warnings';

describe('histogram-bucket linter, sidecar', () => {
  it('flags unit s with the default boundaries once, not unit ms nor explicit advice; metric, log, status page and JSON', async () => {
    const logger = recordingLogger();
    const { sidecar, addresses } = await startSidecar({ logger });
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: addresses.otlpHttp.url, timeoutMillis: TIMEOUT_MS }),
      exportIntervalMillis: 3_600_000,
      exportTimeoutMillis: TIMEOUT_MS,
    });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkout' }), readers: [reader] });
    try {
      const meter = provider.getMeter('http');
      const seconds = meter.createHistogram('http.server.request.duration', { unit: 's' });
      meter.createHistogram('http.client.request.duration', { unit: 'ms' }).record(120);
      meter.createHistogram('db.query.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1, 1] } }).record(0.02);
      seconds.record(0.08);
      seconds.record(0.3, { 'http.route': '/cart' });
      await reader.forceFlush();
      seconds.record(0.2);
      await reader.forceFlush(); // a second export of the same metric: no second warning

      const families = await scrape(addresses);
      assert.equal(valueOf(families, WARNING, { metric: 'http.server.request.duration', reason: 'default_buckets_in_seconds' }), 1);
      assert.equal(families.find((family) => family.name === WARNING)?.samples.length, 1);

      const warnings = logger.warnings.filter((warning) => warning.includes('bucket boundaries'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /^otel-prom-bridge: histogram "http\.server\.request\.duration" is in seconds \(unit s\)/);
      assert.match(warnings[0]!, /explicitBucketBoundaries: \[0\.005, /);

      const status = sidecar.status();
      assert.deepEqual(
        status.histogramBucketWarnings?.map(({ metric, reason }) => ({ metric, reason })),
        [{ metric: 'http.server.request.duration', reason: 'default_buckets_in_seconds' }],
      );
      const json = (await (await get(`${addresses.metrics.url.replace(/\/metrics$/, '')}/api/v1/status`)).json()) as { histogramBucketWarnings: { metric: string; fix: string }[] };
      assert.equal(json.histogramBucketWarnings[0]?.metric, 'http.server.request.duration');
      assert.match(json.histogramBucketWarnings[0]?.fix ?? '', /advice: \{ explicitBucketBoundaries/);
      const page = await (await get(addresses.metrics.url.replace(/\/metrics$/, '/'))).text();
      assert.match(page, /<table id="bucket-warnings">[\s\S]*<code>http\.server\.request\.duration<\/code>[\s\S]*<\/table>/);
      assert.ok(!page.includes('http.client.request.duration'), 'the histogram in ms is not listed');
    } finally {
      await provider.shutdown();
      await sidecar.stop();
    }
  });

  it('no warning: no family, and the status page says so', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      const families = await scrape(addresses);
      assert.equal(families.find((family) => family.name === WARNING), undefined);
      assert.deepEqual(sidecar.status().histogramBucketWarnings, []);
      const page = await (await get(addresses.metrics.url.replace(/\/metrics$/, '/'))).text();
      assert.match(page, /id="no-bucket-warnings"/);
    } finally {
      await sidecar.stop();
    }
  });
});
