/**
 * The histogram-bucket linter in process: a real MeterProvider records histograms, the exporter
 * warns once per metric recorded in seconds with the SDK's default (millisecond) boundaries, with
 * the fix, and serves `otel_prom_bridge_histogram_bucket_warnings{metric,reason}`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PeriodicPrometheusReader, PrometheusExporter } from '../../src/index.ts';
import { recordingLogger } from '../helpers/recordingLogger.ts';

const WARNING_LINE = 'otel_prom_bridge_histogram_bucket_warnings{metric="http.server.request.duration",reason="default_buckets_in_seconds"} 1';

describe('histogram-bucket linter, in process', () => {
  it('fires for unit s with the default boundaries: one warning with the name and the fix, one series, however often it is scraped', async () => {
    const logger = recordingLogger();
    const exporter = new PrometheusExporter({ preventServerStart: true, logger });
    const provider = new MeterProvider({ readers: [exporter] });
    try {
      const duration = provider.getMeter('http').createHistogram('http.server.request.duration', { unit: 's' });
      for (const seconds of [0.012, 0.2, 0.35, 1.4]) duration.record(seconds, { 'http.route': '/cart' });
      duration.record(0.05, { 'http.route': '/pay' });
      const first = (await exporter.render(undefined)).body;
      const second = (await exporter.render(undefined)).body;
      for (const body of [first, second]) assert.ok(body.split('\n').includes(WARNING_LINE), body);
      assert.match(first, /^# HELP otel_prom_bridge_histogram_bucket_warnings /m);
      const warnings = logger.warnings.filter((warning) => warning.includes('bucket boundaries'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /histogram "http\.server\.request\.duration" is in seconds \(unit s\) but has the SDK's default bucket boundaries/);
      assert.match(warnings[0]!, /advice: \{ explicitBucketBoundaries: \[0\.005, 0\.01, 0\.025, 0\.05, 0\.075, 0\.1, 0\.25, 0\.5, 0\.75, 1, 2\.5, 5, 7\.5, 10\] \}/);
      assert.match(warnings[0]!, /View \{ instrumentName: "http\.server\.request\.duration"/);
    } finally {
      await provider.shutdown();
    }
  });

  it('does not fire for unit ms, for explicit advice in seconds, or for a histogram without unit', async () => {
    const logger = recordingLogger();
    const exporter = new PrometheusExporter({ preventServerStart: true, logger });
    const provider = new MeterProvider({ readers: [exporter] });
    try {
      const meter = provider.getMeter('http');
      meter.createHistogram('http.client.duration', { unit: 'ms' }).record(42);
      meter.createHistogram('rpc.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] } }).record(0.2);
      meter.createHistogram('payload.size').record(3);
      const { body } = await exporter.render(undefined);
      assert.ok(!body.includes('otel_prom_bridge_histogram_bucket_warnings'), body);
      assert.deepEqual(logger.warnings.filter((warning) => warning.includes('bucket boundaries')), []);
    } finally {
      await provider.shutdown();
    }
  });

  it('the periodic reader (delta collections) warns once per metric too, across collections and series', async () => {
    const logger = recordingLogger();
    const reader = new PeriodicPrometheusReader({ preventServerStart: true, logger, collectIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    try {
      const meter = provider.getMeter('jobs');
      const a = meter.createHistogram('http.server.request.duration', { unit: 's' });
      const b = meter.createHistogram('queue.wait', { unit: 's' });
      a.record(0.3, { route: '/a' });
      b.record(1.5);
      await reader.forceFlush();
      a.record(0.4, { route: '/b' });
      await reader.forceFlush();
      const { body } = await reader.render(undefined);
      assert.ok(body.split('\n').includes(WARNING_LINE), body);
      assert.ok(body.split('\n').includes('otel_prom_bridge_histogram_bucket_warnings{metric="queue.wait",reason="default_buckets_in_seconds"} 1'), body);
      const warnings = logger.warnings.filter((warning) => warning.includes('bucket boundaries'));
      assert.equal(warnings.length, 2, warnings.join('\n'));
    } finally {
      await provider.shutdown();
    }
  });
});
