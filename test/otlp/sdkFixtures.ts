/**
 * Real SDK data for the decoder tests: a MeterProvider with every instrument kind in several
 * scopes, and a field-by-field comparison of decoded data with what the SDK collected.
 */
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  type MetricData,
  type ResourceMetrics as SdkResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '../../src/otelData/otelData.ts';
import { PullReader } from '../helpers/PullReader.ts';

/** Point attributes with a value of every type the SDK passes on to OTLP. */
export const EVERY_VALUE_TYPE: Record<string, unknown> = {
  string: 'héllo ✓ 😀',
  empty: '',
  int: 42,
  negative: -7,
  beyondSafe: 2 ** 60,
  double: 1.25,
  bool: true,
  array: ['a', 1, 2.5, false],
  emptyArray: [],
  map: { x: 1, y: { z: 'w', list: [true] } },
  bytes: new Uint8Array([0, 255, 16]),
  null: null,
};

export interface SdkCollection {
  readonly first: SdkResourceMetrics;
  readonly second: SdkResourceMetrics;
}

/**
 * Records on every instrument kind in three scopes (one with exponential histograms through a
 * View), and collects twice, with some recordings in between.
 */
export async function collectSdkMetrics(temporality: AggregationTemporality): Promise<SdkCollection> {
  const reader = new PullReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(
      { 'service.name': 'decoder-test', 'service.instance.id': 'i-1', 'host.cpus': 8, ratio: 0.5, debug: false, tags: ['a', 'b'] },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    ),
    readers: [reader],
    views: [{ meterName: 'scope-exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const a = provider.getMeter('scope-a', '1.2.3', { schemaUrl: 'https://example.com/scope-a' });
  const b = provider.getMeter('scope-b');
  const exp = provider.getMeter('scope-exp', '0.1.0');

  const requests = a.createCounter('http.server.requests', { description: 'Requests served.', unit: '{request}' });
  const bytesSent = a.createCounter('bytes.sent', { unit: 'By', valueType: ValueType.INT });
  const inFlight = a.createUpDownCounter('requests.in_flight', { valueType: ValueType.INT });
  const duration = a.createHistogram('http.server.duration', { unit: 'ms' });
  const sizes = a.createHistogram('payload.size', { unit: 'By', valueType: ValueType.INT, advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  const temperature = a.createGauge('temperature', { unit: 'Cel' });
  let observed = 10;
  b.createObservableCounter('cpu.time', { unit: 's' }).addCallback((result) => {
    result.observe(observed * 1.5, { cpu: 0 });
    result.observe(observed * 2.5, { cpu: 1 });
  });
  b.createObservableUpDownCounter('queue.length', { valueType: ValueType.INT }).addCallback((result) => result.observe(observed - 20));
  b.createObservableGauge('memory.usage', { unit: 'By', valueType: ValueType.INT }).addCallback((result) => result.observe(observed * 1_000_000));
  const latency = exp.createHistogram('latency', { unit: 's' });
  const change = exp.createHistogram('price.change');

  requests.add(1, { method: 'GET', status: 200 });
  requests.add(2.5, { method: 'POST', status: 500 });
  requests.add(1, EVERY_VALUE_TYPE);
  bytesSent.add(1234);
  inFlight.add(3);
  inFlight.add(-5, { pool: 'b' });
  for (const v of [0.5, 3, 7, 12, 99, 1e4, 2e5]) duration.record(v, { route: '/x' });
  sizes.record(5);
  sizes.record(5000, EVERY_VALUE_TYPE);
  temperature.record(-3.25, { room: 'lab' });
  for (const v of [0.001, 0.002, 0.5, 1, 1, 3.7, 1e3]) latency.record(v);
  for (const v of [-2, -0.5, 0, 0, 0.25, 8]) change.record(v, { symbol: 'X' });
  const first = (await reader.collect()).resourceMetrics;

  observed = 30;
  requests.add(4, { method: 'GET', status: 200 });
  duration.record(42, { route: '/x' });
  latency.record(0.75);
  change.record(-1e6, { symbol: 'X' });
  const second = (await reader.collect()).resourceMetrics;
  await provider.shutdown();
  return { first, second };
}

/**
 * An SDK attribute value as the decoders give it back after OTLP: integers beyond 2^53 as bigint
 * (OTLP's int64), no value as null; with `nonFiniteAsNull`, NaN and ±Infinity as null (what the
 * SDK's JSON serializer writes for them).
 */
export function expectedAttributeValue(value: unknown, nonFiniteAsNull = false): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) && nonFiniteAsNull) return null;
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map((item) => expectedAttributeValue(item, nonFiniteAsNull));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expectedAttributeValue(v, nonFiniteAsNull)]));
  }
  return value;
}

function expectedAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  return expectedAttributeValue(attributes) as Record<string, unknown>;
}

function hrTimeToMs(time: readonly [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

function assertTime(actual: number | undefined, expected: readonly [number, number], what: string): void {
  assert.ok(actual !== undefined, `${what}: missing`);
  assert.ok(Math.abs(actual - hrTimeToMs(expected)) <= 1e-3, `${what}: ${actual} vs ${hrTimeToMs(expected)}`);
}

/** Compares decoded data with the SDK's, field by field (times to within 1e-3 ms). */
export function assertMatchesSdk(decoded: readonly ResourceMetrics[], sdk: SdkResourceMetrics): void {
  assert.equal(decoded.length, 1);
  const [resourceMetrics] = decoded as [ResourceMetrics];
  assert.deepStrictEqual(resourceMetrics.resource.attributes, expectedAttributes(sdk.resource.attributes));
  assert.equal(resourceMetrics.resource.schemaUrl, sdk.resource.schemaUrl);
  assert.equal(resourceMetrics.scopeMetrics.length, sdk.scopeMetrics.length);
  sdk.scopeMetrics.forEach((sdkScope, s) => {
    const scopeMetrics = resourceMetrics.scopeMetrics[s]!;
    assert.equal(scopeMetrics.scope.name, sdkScope.scope.name);
    assert.equal(scopeMetrics.scope.version, sdkScope.scope.version || undefined);
    assert.equal(scopeMetrics.scope.schemaUrl, sdkScope.scope.schemaUrl || undefined);
    assert.equal(scopeMetrics.scope.attributes, undefined);
    assert.equal(scopeMetrics.metrics.length, sdkScope.metrics.length, `metrics of ${sdkScope.scope.name}`);
    sdkScope.metrics.forEach((sdkMetric, m) => assertMetricMatches(scopeMetrics.metrics[m]!, sdkMetric));
  });
}

function assertMetricMatches(metric: ResourceMetrics['scopeMetrics'][number]['metrics'][number], sdk: MetricData): void {
  const what = sdk.descriptor.name;
  assert.equal(metric.name, sdk.descriptor.name);
  assert.equal(metric.description, sdk.descriptor.description);
  assert.equal(metric.unit, sdk.descriptor.unit);
  const temporality = sdk.aggregationTemporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative';
  assert.equal(metric.points.length, sdk.dataPoints.length, `${what}: points`);
  switch (sdk.dataPointType) {
    case DataPointType.SUM:
      assert.equal(metric.kind, 'sum', what);
      assert.ok(metric.kind === 'sum');
      assert.equal(metric.monotonic, sdk.isMonotonic, what);
      assert.equal(metric.temporality, temporality, what);
      break;
    case DataPointType.GAUGE:
      assert.equal(metric.kind, 'gauge', what);
      break;
    case DataPointType.HISTOGRAM:
      assert.equal(metric.kind, 'histogram', what);
      assert.ok(metric.kind === 'histogram');
      assert.equal(metric.temporality, temporality, what);
      break;
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      assert.equal(metric.kind, 'exponentialHistogram', what);
      assert.ok(metric.kind === 'exponentialHistogram');
      assert.equal(metric.temporality, temporality, what);
      break;
  }
  sdk.dataPoints.forEach((sdkPoint, i) => {
    const point = metric.points[i]!;
    const at = `${what} point ${i}`;
    assert.deepStrictEqual(point.attributes, expectedAttributes(sdkPoint.attributes), at);
    assertTime(point.startTimeMs, sdkPoint.startTime, `${at} start`);
    assertTime(point.timeMs, sdkPoint.endTime, `${at} time`);
    assert.equal(point.exemplars, undefined, at);
    assert.equal(point.noRecordedValue, false, at);
    const value = sdkPoint.value;
    if (typeof value === 'number') {
      assert.ok('value' in point);
      assert.equal(point.value, value, at);
    } else if ('buckets' in value) {
      assert.ok(metric.kind === 'histogram');
      const histogram = metric.points[i]!;
      assert.equal(histogram.count, value.count, at);
      assert.equal(histogram.sum, value.sum, at);
      assert.deepStrictEqual(histogram.bounds, value.buckets.boundaries, at);
      assert.deepStrictEqual(histogram.counts, value.buckets.counts, at);
    } else {
      assert.ok(metric.kind === 'exponentialHistogram');
      const histogram = metric.points[i]!;
      assert.equal(histogram.count, value.count, at);
      assert.equal(histogram.sum, value.sum, at);
      assert.equal(histogram.scale, value.scale, at);
      assert.equal(histogram.zeroCount, value.zeroCount, at);
      assert.equal(histogram.zeroThreshold, 0, at);
      assert.deepStrictEqual(histogram.positive, { offset: value.positive.offset, counts: value.positive.bucketCounts }, at);
      assert.deepStrictEqual(histogram.negative, { offset: value.negative.offset, counts: value.negative.bucketCounts }, at);
    }
  });
}

/** Deep equality where times (keys ending in `Ms`) may differ by 1e-3 ms. */
export function assertSameModel(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof actual === 'number' && typeof expected === 'number' && /Ms$/.test(path)) {
    assert.ok(Math.abs(actual - expected) <= 1e-3, `${path}: ${actual} vs ${expected}`);
    return;
  }
  if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null || actual instanceof Uint8Array) {
    assert.deepStrictEqual(actual, expected, path);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), path);
  assert.deepStrictEqual(Object.keys(actual), Object.keys(expected), path);
  for (const key of Object.keys(expected)) {
    assertSameModel((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
  }
}
