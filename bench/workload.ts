import type { Attributes, Counter, Gauge, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, type MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import * as promClient from 'prom-client';
import { PullReader } from '../test/helpers/PullReader.ts';

/**
 * The benchmark's workloads: N series each of a counter, an up-down counter, a gauge and an
 * 11-bucket histogram (10 bounds and +Inf), 3 attributes a series, 4 resource attributes; recorded
 * through the real SDK, and mirrored in native prom-client metrics with the same series and values.
 */

export type WorkloadName = 'W1k' | 'W40k' | 'W400k';

export interface Workload {
  readonly name: WorkloadName;
  /** Series of each of the four instruments. */
  readonly seriesPerInstrument: number;
  /** Metric series in all (`target_info` not counted). */
  readonly series: number;
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  W1k: { name: 'W1k', seriesPerInstrument: 250, series: 1_000 },
  W40k: { name: 'W40k', seriesPerInstrument: 10_000, series: 40_000 },
  W400k: { name: 'W400k', seriesPerInstrument: 100_000, series: 400_000 },
};

/** The histogram's bounds, in seconds: 10 bounds, so 11 buckets with +Inf. */
export const HISTOGRAM_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'checkout',
  'service.namespace': 'shop',
  'service.instance.id': 'checkout-7d9f-1',
  'deployment.environment.name': 'bench',
} as const;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const STATUS_CODES = [200, 201, 204, 404, 500] as const;

/** The attributes of series `i`: unique for i below 20 × the number of routes. */
export function seriesAttributes(i: number): Attributes {
  return {
    'http.request.method': METHODS[i % 4]!,
    'http.response.status_code': STATUS_CODES[Math.floor(i / 4) % 5]!,
    'http.route': `/api/v1/items/${Math.floor(i / 20)}`,
  };
}

/** One workload's attribute objects, built once and shared by every subject (so recording allocates little). */
export function buildAttributeSets(workload: Workload): Attributes[] {
  return Array.from({ length: workload.seriesPerInstrument }, (_, i) => seriesAttributes(i));
}

/** The values series `i` records in round `round` (0 fills the series; every later round changes every value). */
function counterStep(i: number, round: number): number {
  return 1 + ((i + round) % 5);
}
function upDownStep(i: number, round: number): number {
  return round === 0 ? i % 50 : ((i + round) % 3) - 1;
}
function gaugeValue(i: number, round: number): number {
  return (i * 7 + round) % 1000;
}
function durationValue(i: number, round: number, k: number): number {
  return ((i * 13 + round * 7 + k * 101) % 1000) / 150;
}
/** Histogram observations a series gets per round. */
function observations(round: number): number {
  return round === 0 ? 3 : 1;
}

export const BENCH_VIEWS = [{ instrumentName: '*', aggregationCardinalityLimit: 1_000_000 }];

/** The workload's four instruments on an SDK meter. */
export interface SdkInstruments {
  readonly requests: Counter;
  readonly active: UpDownCounter;
  readonly queueDepth: Gauge;
  readonly duration: Histogram;
}

export function createSdkInstruments(meter: Meter): SdkInstruments {
  return {
    requests: meter.createCounter('http.server.requests', { unit: '{request}', description: 'HTTP requests served.' }),
    active: meter.createUpDownCounter('http.server.active_requests', { unit: '{request}', description: 'HTTP requests in progress.' }),
    queueDepth: meter.createGauge('messaging.queue.depth', { unit: '{message}', description: 'Messages waiting.' }),
    duration: meter.createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'HTTP request duration.',
      advice: { explicitBucketBoundaries: [...HISTOGRAM_BOUNDS] },
    }),
  };
}

/**
 * Records one round on the series of the SDK instruments: every series, or (`every` > 1) one in
 * `every`, a different slice each round.
 */
export function recordSdkRound(instruments: SdkInstruments, attributeSets: readonly Attributes[], round: number, every = 1): void {
  const { requests, active, queueDepth, duration } = instruments;
  const n = observations(round);
  for (let i = round % every; i < attributeSets.length; i += every) {
    const attributes = attributeSets[i]!;
    requests.add(counterStep(i, round), attributes);
    active.add(upDownStep(i, round), attributes);
    queueDepth.record(gaugeValue(i, round), attributes);
    for (let k = 0; k < n; k++) duration.record(durationValue(i, round, k), attributes);
  }
}

export function benchResource(overrides: Record<string, string> = {}): Resource {
  return resourceFromAttributes({ ...RESOURCE_ATTRIBUTES, ...overrides });
}

/**
 * A MeterProvider with one reader, the workload's instruments, and round 0 recorded. `record(round)`
 * records another round on every series, `record(round, every)` on one series in `every`. The
 * reader may come from another copy of sdk-metrics (the official exporter brings its own); the
 * provider only calls its public methods.
 */
export function createSdkSubject(
  reader: MetricReader,
  attributeSets: readonly Attributes[],
): { provider: MeterProvider; record: (round: number, every?: number) => void } {
  const provider = new MeterProvider({ resource: benchResource(), readers: [reader], views: BENCH_VIEWS });
  const instruments = createSdkInstruments(provider.getMeter('bench', '1.0.0'));
  const record = (round: number, every?: number): void => recordSdkRound(instruments, attributeSets, round, every);
  record(0);
  return { provider, record };
}

/** The workload recorded once into the SDK and collected as cumulative `ResourceMetrics`. */
export async function collectResourceMetrics(attributeSets: readonly Attributes[]): Promise<ResourceMetrics> {
  const reader = new PullReader();
  const { provider } = createSdkSubject(reader, attributeSets);
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`collection failed: ${errors.map(String).join('; ')}`);
  await provider.shutdown();
  return resourceMetrics;
}

/** Data points in a collection (a histogram point is one point). */
export function countPoints(resourceMetrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}

const PROM_LABELS = ['http_request_method', 'http_response_status_code', 'http_route'] as const;
type PromLabel = (typeof PROM_LABELS)[number];
type PromLabels = Record<PromLabel, string | number>;

/** prom-client's native metrics holding the same series, on a registry of their own. */
export function createPromClientSubject(attributeSets: readonly Attributes[]): { registry: promClient.Registry; record: (round: number) => void } {
  const registry = new promClient.Registry();
  const registers = [registry];
  const labelNames = [...PROM_LABELS];
  const requests = new promClient.Counter({ name: 'http_server_requests_total', help: 'HTTP requests served.', labelNames, registers });
  const active = new promClient.Gauge({ name: 'http_server_active_requests', help: 'HTTP requests in progress.', labelNames, registers });
  const queueDepth = new promClient.Gauge({ name: 'messaging_queue_depth', help: 'Messages waiting.', labelNames, registers });
  const duration = new promClient.Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request duration.',
    labelNames,
    buckets: [...HISTOGRAM_BOUNDS],
    registers,
  });
  const labelSets: PromLabels[] = attributeSets.map((a) => ({
    http_request_method: a['http.request.method'] as string,
    http_response_status_code: a['http.response.status_code'] as number,
    http_route: a['http.route'] as string,
  }));
  const record = (round: number): void => {
    const n = observations(round);
    for (let i = 0; i < labelSets.length; i++) {
      const labels = labelSets[i]!;
      requests.inc(labels, counterStep(i, round));
      active.inc(labels, upDownStep(i, round));
      queueDepth.set(labels, gaugeValue(i, round));
      for (let k = 0; k < n; k++) duration.observe(labels, durationValue(i, round, k));
    }
  };
  record(0);
  return { registry, record };
}
