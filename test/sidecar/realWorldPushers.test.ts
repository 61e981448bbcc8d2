/**
 * Correct numbers with real-world pushers: what the official OpenTelemetry JS SDK and ordinary
 * clients really send, through the real decoders over OTLP/HTTP (protobuf, JSON) and OTLP/gRPC.
 *
 * - Delta points are additive: replicas sharing one identity (the JS SDK sets no
 *   service.instance.id) and a retry overtaken by the next export are all added; a retry of a
 *   window already applied (its answer was lost) is recognised, answered as accepted, not added
 *   again, and counted in `otel_prom_bridge_retried_delta_points_total`. The last 16 windows of a
 *   series are remembered; a window ending at or before the last one forgotten is out_of_order.
 * - Cumulative writers sharing one identity: the series follows one writer (a later start time is
 *   the only reset); a point that started earlier is refused (multiple_writers, one warning per
 *   resource naming the fix); a lower count with the same start is refused (non_monotonic).
 * - Pushed families the bridge serves itself (`otel_prom_bridge_*`, prom-client's process and
 *   Node.js metrics) are refused (reserved_name): the bridge's own series always win.
 * - A histogram's count must equal the sum of its buckets (invalid_point); the rest is kept.
 * - The partial-success message names each refusal's reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ParsedFamily } from '../helpers/parseExposition.ts';
import { SeededRandom, seedFromEnv } from '../helpers/seededRandom.ts';
import { stopAll } from '../helpers/stopAll.ts';
import { ExportSender, TRANSPORTS } from '../helpers/ExportSender.ts';
import type { ExportSpec, HistogramPointSpec, MetricSpec } from '../helpers/otlpRequests.ts';
import type { ExportAnswer } from '../helpers/sendExport.ts';
import { DeltaReplicas, KINDS, REPLICA_JOB } from './deltaReplicas.ts';
import { startLostAnswerProxy } from './lostAnswerProxy.ts';
import { get, samplesOf, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from './sidecarHarness.ts';

const RETRIED_METRIC = 'otel_prom_bridge_retried_delta_points_total';
const DROPPED_METRIC = 'otel_prom_bridge_translation_dropped_total';

// ---------------------------------------------------------------------------------------------
// Shared pieces

interface TestSidecar extends RunningSidecar {
  readonly sender: ExportSender;
  /** Every line the sidecar logged with `logger.warn`. */
  readonly warnings: string[];
}

/** A sidecar of its own for one test, stopped (with its gRPC channel) however the test ends. */
async function withSidecar(test: (running: TestSidecar) => Promise<void>): Promise<void> {
  const warnings: string[] = [];
  const running = await startSidecar({ logger: { warn: (line) => warnings.push(line), debug: () => undefined } });
  const sender = new ExportSender(running.addresses, TIMEOUT_MS);
  try {
    await test({ ...running, sender, warnings });
  } finally {
    sender.close();
    await running.sidecar.stop();
  }
}

/** `otel_prom_bridge_translation_dropped_total` for `reason`; 0 when the reason has no series. */
function droppedBy(families: readonly ParsedFamily[], reason: string): number {
  const found = samplesOf(families, DROPPED_METRIC, { reason });
  assert.ok(found.length <= 1, `at most one ${DROPPED_METRIC}{reason="${reason}"}: ${JSON.stringify(found)}`);
  return found[0]?.value ?? 0;
}

/** Every drop reason with a count above 0. */
function droppedReasons(families: readonly ParsedFamily[]): Record<string, number> {
  return Object.fromEntries(samplesOf(families, DROPPED_METRIC).filter((sample) => sample.value > 0).map((sample) => [sample.labels.reason ?? '', sample.value]));
}

const ACCEPTED: ExportAnswer = { kind: 'accepted' };

/** The partial success of an answer, failing with the answer when it is something else. */
function partialOf(answer: ExportAnswer): { rejected: number; message: string } {
  assert.equal(answer.kind, 'partial', `a partial success expected; got ${JSON.stringify(answer)}`);
  return answer as { rejected: number; message: string };
}

const SECOND_NS = 1_000_000_000n;
const T0_NS = 1_700_000_000_000_000_000n;
/** `T0` + `ms` milliseconds, in nanoseconds. */
const at = (ms: number): bigint => T0_NS + BigInt(ms) * 1_000_000n;
const sec = (s: number): bigint => T0_NS + BigInt(s) * SECOND_NS;

/** A histogram's buckets as exposed, keyed by `le` (numbers normalised: `10.0` → `10`). */
function exposedBuckets(families: readonly ParsedFamily[], name: string, labels: Record<string, string>): Record<string, number> {
  return Object.fromEntries(
    samplesOf(families, `${name}_bucket`, labels).map((sample) => {
      const le = sample.labels.le ?? '';
      return [le === '+Inf' ? le : String(Number(le)), sample.value];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Replicas of the official SDK on one identity, delta temporality

describe('eight official-SDK replicas on one identity push delta', () => {
  it('the exposed sums equal everything they recorded: counter, histogram _count, _sum and every bucket, exponential histogram _count and _sum', async () => {
    const seed = seedFromEnv(20_250_611);
    const random = new SeededRandom(seed);
    await withSidecar(async ({ addresses, sidecar }) => {
      const replicas = new DeltaReplicas({ http: addresses.otlpHttp.url, grpc: addresses.otlpGrpc.url }, 8);
      try {
        for (let round = 0; round < 6; round++) {
          replicas.recordRound(random);
          if (round % 3 === 0) await replicas.flushAll();
          else if (round % 3 === 1) await replicas.flushOneByOne(random);
          else await replicas.flushSome(random, replicas.count / 2);
        }
        await replicas.flushAll();
      } finally {
        await replicas.shutdown();
      }

      const { recorded } = replicas;
      const families = await scrape(addresses);
      const job = { job: REPLICA_JOB };
      const context = `seed ${seed} (RELIABILITY_SEED=${seed} replays it); ${replicas.describeWindows()}`;
      // Nothing refused, nothing taken for a retry.
      assert.deepEqual(droppedReasons(families), {}, context);
      assert.deepEqual(samplesOf(families, 'otel_prom_bridge_otlp_data_points_total', { outcome: 'rejected' }), [], context);
      assert.ok(samplesOf(families, RETRIED_METRIC).every((sample) => sample.value === 0), `no point taken for a retry: ${JSON.stringify(samplesOf(families, RETRIED_METRIC))}; ${context}`);
      assert.deepEqual([...sidecar.droppedCounts()].filter(([, count]) => count > 0), []);

      for (const kind of KINDS) {
        const series = samplesOf(families, 'jobs_done_total', { ...job, kind });
        assert.equal(series.length, 1, `one series for all replicas: ${JSON.stringify(series)}`);
        assert.equal(series[0]!.labels.instance, undefined, 'no service.instance.id, no instance label');
        assert.equal(series[0]!.value, recorded.jobs.get(kind), `jobs_done_total{kind="${kind}"}, ${context}`);
      }
      assert.equal(valueOf(families, 'job_size_bytes_count', job), recorded.sizes.length, context);
      assert.equal(valueOf(families, 'job_size_bytes_sum', job), recorded.sizes.reduce((a, b) => a + b, 0), context);
      assert.deepEqual(exposedBuckets(families, 'job_size_bytes', job), recorded.sizeBuckets(), context);
      assert.equal(valueOf(families, 'job_latency_milliseconds_count', job), recorded.latencies.length, context);
      assert.equal(valueOf(families, 'job_latency_milliseconds_sum', job), recorded.latencies.reduce((a, b) => a + b, 0), context);
      assert.equal(valueOf(families, 'job_latency_milliseconds_bucket', { ...job, le: '+Inf' }), recorded.latencies.length, context);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 2 and 3. Retries: lost answers, and retries overtaken by the next export

const WORKER = { resource: { 'service.name': 'worker' }, scope: { name: 'hand-built', version: '1.0.0' } };
const WORKER_JOB = { job: 'worker' };
const PAYLOAD_BOUNDS = [10, 100];

interface DeltaWindow {
  readonly startNs: bigint;
  readonly timeNs: bigint;
  readonly jobs: number;
  /** Per bucket of PAYLOAD_BOUNDS (3 counts) and the sum. */
  readonly payload?: { readonly counts: readonly number[]; readonly sum: number };
}

/** One export of the worker: a delta counter `jobs` and (optionally) a delta histogram `payload`, one point each over the window. */
function deltaExport(window: DeltaWindow): ExportSpec {
  const { startNs, timeNs } = window;
  const metrics: MetricSpec[] = [{ kind: 'sum', name: 'jobs', temporality: 'delta', monotonic: true, points: [{ startNs, timeNs, value: window.jobs }] }];
  if (window.payload !== undefined) {
    const point: HistogramPointSpec = { startNs, timeNs, bounds: PAYLOAD_BOUNDS, counts: window.payload.counts, sum: window.payload.sum };
    metrics.push({ kind: 'histogram', name: 'payload', unit: 'By', temporality: 'delta', points: [point] });
  }
  return { ...WORKER, metrics };
}

describe('a retried export whose answer was lost is counted once', () => {
  const SDK_HTTP_EXPORTERS: Record<string, (url: string) => PushMetricExporter> = {
    'exporter-metrics-otlp-proto': (url) => new ProtoExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA, timeoutMillis: TIMEOUT_MS }),
    'exporter-metrics-otlp-http (JSON)': (url) => new JsonExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA, timeoutMillis: TIMEOUT_MS }),
  };
  // exporter-metrics-otlp-grpc does not retry (every gRPC error is final for it): its retries are the hand-built gRPC case below.
  for (const [name, makeExporter] of Object.entries(SDK_HTTP_EXPORTERS)) {
    it(`${name}: the sidecar applied an export, its answer was lost (503), the SDK sent the same payload again: exposed once, answered as accepted, counted as retried`, async () => {
      await withSidecar(async ({ addresses }) => {
        // The second request's answer is lost: the sidecar applied it, the SDK sees a 503.
        const proxy = await startLostAnswerProxy(addresses.otlpHttp.url, (n) => n === 1);
        const reader = new PeriodicExportingMetricReader({ exporter: makeExporter(proxy.url), exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
        const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'retrying' }), readers: [reader] });
        try {
          const meter = provider.getMeter('retry-test');
          const jobs = meter.createCounter('jobs');
          const payload = meter.createHistogram('payload', { unit: 'By', advice: { explicitBucketBoundaries: PAYLOAD_BOUNDS } });
          jobs.add(3);
          payload.record(5);
          payload.record(50);
          await reader.forceFlush();
          jobs.add(4);
          payload.record(500);
          await reader.forceFlush(); // lost answer, then the SDK's retry
          jobs.add(5);
          payload.record(7);
          await reader.forceFlush();
        } finally {
          await stopAll([() => provider.shutdown(), () => proxy.close()]);
        }

        assert.deepEqual(
          proxy.exports.map((sent) => sent.answerLost),
          [false, true, false, false],
          'three exports, the second sent twice',
        );
        assert.ok(proxy.exports[2]!.body.equals(proxy.exports[1]!.body), 'the SDK retried the very same payload');

        const families = await scrape(addresses);
        const job = { job: 'retrying' };
        assert.equal(valueOf(families, 'jobs_total', job), 12);
        assert.equal(valueOf(families, 'payload_bytes_count', job), 4);
        assert.equal(valueOf(families, 'payload_bytes_sum', job), 562);
        assert.deepEqual(exposedBuckets(families, 'payload_bytes', job), { '10': 2, '100': 3, '+Inf': 4 });
        // The retry is no error for the client: no partial success.
        assert.deepEqual(
          proxy.exports.map((sent) => sent.sidecarAnswer),
          [ACCEPTED, ACCEPTED, ACCEPTED, ACCEPTED],
        );
        assert.equal(valueOf(families, RETRIED_METRIC), 2, 'the retried export had two points: jobs and payload');
        assert.deepEqual(droppedReasons(families), {});
      });
    });
  }

  for (const transport of TRANSPORTS) {
    it(`${transport}: the same request bytes sent twice are exposed once, both answered as accepted, the second counted as retried`, async () => {
      await withSidecar(async ({ addresses, sender }) => {
        const first = deltaExport({ startNs: sec(0), timeNs: sec(10), jobs: 5, payload: { counts: [1, 2, 0], sum: 60 } });
        const body = sender.encode(transport, first);
        assert.deepEqual(await sender.sendBody(transport, body), ACCEPTED);
        assert.deepEqual(await sender.sendBody(transport, body), ACCEPTED, 'a retry is no error for the client');

        let families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 5);
        assert.equal(valueOf(families, 'payload_bytes_count', WORKER_JOB), 3);
        assert.equal(valueOf(families, 'payload_bytes_sum', WORKER_JOB), 60);
        assert.deepEqual(exposedBuckets(families, 'payload_bytes', WORKER_JOB), { '10': 1, '100': 3, '+Inf': 3 });
        assert.equal(valueOf(families, RETRIED_METRIC), 2);

        // The next window is added as usual.
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(10), timeNs: sec(20), jobs: 7, payload: { counts: [0, 0, 1], sum: 700 } })), ACCEPTED);
        families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 12);
        assert.equal(valueOf(families, 'payload_bytes_count', WORKER_JOB), 4);
        assert.equal(valueOf(families, 'payload_bytes_sum', WORKER_JOB), 760);
        assert.equal(valueOf(families, RETRIED_METRIC), 2);
        assert.deepEqual(droppedReasons(families), {});
      });
    });

    it(`${transport}: the last 16 windows of a series are remembered; a retry of the 16th newest is recognised, of an older one refused as out_of_order; a late window of another writer ending after it is added`, async () => {
      await withSidecar(async ({ addresses, sender }) => {
        const window = (k: number, jobs = 1): ExportSpec => deltaExport({ startNs: sec(10 * k), timeNs: sec(10 * (k + 1)), jobs });
        // 17 windows, one after another: the first one is forgotten.
        for (let k = 0; k <= 16; k++) assert.deepEqual(await sender.send(transport, window(k)), ACCEPTED, `window ${k}`);
        let families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 17);

        assert.deepEqual(await sender.send(transport, window(1)), ACCEPTED, 'window 1 is the oldest remembered: its retry is recognised');
        families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 17);
        assert.equal(valueOf(families, RETRIED_METRIC), 1);

        const refused = partialOf(await sender.send(transport, window(0)));
        assert.equal(refused.rejected, 1);
        assert.match(refused.message, /out[_ ]of[_ ]order/i);
        families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 17, 'window 0 was forgotten: it could be a retry, it is not added');
        assert.equal(droppedBy(families, 'out_of_order'), 1);

        // Another writer's window [0 s, 10.5 s] ends after the forgotten one: added.
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(0), timeNs: at(10_500), jobs: 100 })), ACCEPTED);
        families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 117);
        assert.equal(valueOf(families, RETRIED_METRIC), 1);
      });
    });
  }
});

describe('a retry overtaken by the next export, and overlapping writers', () => {
  for (const transport of TRANSPORTS) {
    it(`${transport}: windows [t0, t1] and [t1, t2] of one series, [t1, t2] arriving first: both are added`, async () => {
      await withSidecar(async ({ addresses, sender }) => {
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(10), timeNs: sec(20), jobs: 7, payload: { counts: [0, 1, 0], sum: 50 } })), ACCEPTED);
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(0), timeNs: sec(10), jobs: 5, payload: { counts: [1, 0, 0], sum: 5 } })), ACCEPTED);
        const families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 12);
        assert.equal(valueOf(families, 'payload_bytes_count', WORKER_JOB), 2);
        assert.equal(valueOf(families, 'payload_bytes_sum', WORKER_JOB), 55);
        assert.deepEqual(exposedBuckets(families, 'payload_bytes', WORKER_JOB), { '10': 1, '100': 2, '+Inf': 2 });
        assert.deepEqual(droppedReasons(families), {});
        assert.ok(samplesOf(families, RETRIED_METRIC).every((sample) => sample.value === 0));
      });
    });

    it(`${transport}: two writers of one series with overlapping windows [t0, t2] and [t1, t3]: both are added`, async () => {
      await withSidecar(async ({ addresses, sender }) => {
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(0), timeNs: sec(20), jobs: 5, payload: { counts: [1, 1, 1], sum: 555 } })), ACCEPTED);
        assert.deepEqual(await sender.send(transport, deltaExport({ startNs: sec(10), timeNs: sec(30), jobs: 7, payload: { counts: [2, 0, 0], sum: 4 } })), ACCEPTED);
        const families = await scrape(addresses);
        assert.equal(valueOf(families, 'jobs_total', WORKER_JOB), 12);
        assert.equal(valueOf(families, 'payload_bytes_count', WORKER_JOB), 5);
        assert.equal(valueOf(families, 'payload_bytes_sum', WORKER_JOB), 559);
        assert.deepEqual(droppedReasons(families), {});
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 4. Two cumulative writers on one identity

const PRICING = { resource: { 'service.name': 'pricing' }, scope: { name: 'hand-built' } };
const PRICING_JOB = { job: 'pricing' };

/** One cumulative export of `pricing`: counter `orders` and histogram `wait` (count as its value, all in the first bucket). */
function cumulativeExport(startNs: bigint, timeNs: bigint, value: number): ExportSpec {
  return {
    ...PRICING,
    metrics: [
      { kind: 'sum', name: 'orders', temporality: 'cumulative', monotonic: true, points: [{ startNs, timeNs, value }] },
      { kind: 'histogram', name: 'wait', unit: 's', temporality: 'cumulative', points: [{ startNs, timeNs, bounds: [1], counts: [value, 0], sum: value }] },
    ],
  };
}

function pricingValues(families: readonly ParsedFamily[]): { orders: number; waits: number } {
  return { orders: valueOf(families, 'orders_total', PRICING_JOB), waits: valueOf(families, 'wait_seconds_count', PRICING_JOB) };
}

describe('two cumulative writers on one identity', () => {
  for (const transport of TRANSPORTS) {
    it(`${transport}: the series follows the writer with the later start (one reset), the other is refused as multiple_writers with one warning naming the identity and the fix; a lower count with the same start is non_monotonic`, async () => {
      await withSidecar(async ({ addresses, sender, sidecar, warnings }) => {
        const startA = sec(0);
        const startB = sec(3); // writer B started later
        const exposed: number[] = [];
        const waits: number[] = [];
        const answersOfA: ExportAnswer[] = [];
        for (let i = 0; i < 5; i++) {
          // Interleaved: A at 10 + 20i s (1000, 1001, ...), B at 20 + 20i s (10, 11, ...).
          answersOfA.push(await sender.send(transport, cumulativeExport(startA, sec(10 + 20 * i), 1000 + i)));
          let values = pricingValues(await scrape(addresses));
          exposed.push(values.orders);
          waits.push(values.waits);
          assert.deepEqual(await sender.send(transport, cumulativeExport(startB, sec(20 + 20 * i), 10 + i)), ACCEPTED, `writer B, push ${i}`);
          values = pricingValues(await scrape(addresses));
          exposed.push(values.orders);
          waits.push(values.waits);
        }
        // B took over once (1000 → 10); from then on the series never goes down.
        assert.deepEqual(exposed, [1000, 10, 10, 11, 11, 12, 12, 13, 13, 14]);
        assert.deepEqual(waits, [1000, 10, 10, 11, 11, 12, 12, 13, 13, 14]);

        assert.deepEqual(answersOfA[0], ACCEPTED, 'the first writer is accepted until the second takes over');
        for (const answer of answersOfA.slice(1)) {
          const partial = partialOf(answer);
          assert.equal(partial.rejected, 2);
          assert.match(partial.message, /multiple[_ ]writers/i);
          assert.match(partial.message, /orders/);
        }
        let families = await scrape(addresses);
        assert.equal(droppedBy(families, 'multiple_writers'), 8, 'four pushes of A after the takeover, two points each');

        // One warning for the resource, however many points were refused, naming its identity and the fix.
        const aboutWriters = warnings.filter((line) => line.includes('service.instance.id'));
        assert.equal(aboutWriters.length, 1, `one warning naming the fix; warnings: ${JSON.stringify(warnings)}`);
        assert.match(aboutWriters[0]!, /pricing/);

        // Writer B sends a lower count with its own start time: not a reset.
        const lower = partialOf(await sender.send(transport, cumulativeExport(startB, sec(120), 12)));
        assert.equal(lower.rejected, 2);
        assert.match(lower.message, /non[_ ]monotonic/i);
        families = await scrape(addresses);
        assert.deepEqual(pricingValues(families), { orders: 14, waits: 14 });
        assert.equal(droppedBy(families, 'non_monotonic'), 2);

        // A point older than the series' last one is out of order, as before.
        const older = partialOf(await sender.send(transport, cumulativeExport(startB, sec(50), 20)));
        assert.match(older.message, /out[_ ]of[_ ]order/i);
        families = await scrape(addresses);
        assert.deepEqual(pricingValues(families), { orders: 14, waits: 14 });
        assert.equal(droppedBy(families, 'out_of_order'), 2);

        // A later start time is a restart: the series starts over from it.
        assert.deepEqual(await sender.send(transport, cumulativeExport(sec(125), sec(130), 3)), ACCEPTED);
        families = await scrape(addresses);
        assert.deepEqual(pricingValues(families), { orders: 3, waits: 3 });
        assert.equal(droppedBy(families, 'multiple_writers'), 8);
        assert.equal(warnings.filter((line) => line.includes('service.instance.id')).length, 1);

        // The status page shows it for the resource.
        const status = sidecar.status();
        const row = status.resources.find((resource) => resource.job === 'pricing');
        assert.ok(row, `a status row for job pricing: ${JSON.stringify(status.resources)}`);
        assert.equal(row.multipleWriters, true, `the pricing row shows its multiple writers: ${JSON.stringify(row)}`);
        assert.equal(row.refusedByReason.multiple_writers, 8);
        const json = await get(new URL('/api/v1/status', addresses.metrics.url).href);
        const served = (await json.json()) as typeof status;
        assert.deepEqual(
          served.resources.find((resource) => resource.job === 'pricing'),
          JSON.parse(JSON.stringify(row)),
        );
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 5. Names the bridge serves itself

describe("pushed families with the bridge's own names", () => {
  for (const transport of TRANSPORTS) {
    it(`${transport}: otel_prom_bridge_* and the process/Node.js metrics the sidecar serves are refused as reserved_name; its own values stay; later scrapes find no duplicate`, async () => {
      await withSidecar(async ({ addresses, sender, sidecar }) => {
        // Three real out-of-order points: the bridge's own count to protect.
        const probe = (timeNs: bigint): ExportSpec => ({
          resource: { 'service.name': 'probe' },
          scope: { name: 'hand-built' },
          metrics: [{ kind: 'sum', name: 'probe', temporality: 'cumulative', monotonic: true, points: ['1', '2', '3'].map((n) => ({ attributes: { n }, startNs: sec(0), timeNs, value: 1 })) }],
        });
        assert.deepEqual(await sender.send(transport, probe(sec(20))), ACCEPTED);
        assert.equal(partialOf(await sender.send(transport, probe(sec(10)))).rejected, 3);

        // No resource attributes and no scope: without job, instance or scope labels, the series
        // would have exactly the labels of the bridge's own.
        const impostor: ExportSpec = {
          resource: {},
          metrics: [
            { kind: 'sum', name: 'otel_prom_bridge_translation_dropped', temporality: 'cumulative', monotonic: true, points: [{ attributes: { reason: 'out_of_order' }, startNs: sec(0), timeNs: sec(30), value: 0 }] },
            { kind: 'gauge', name: 'otel_prom_bridge_series', points: [{ timeNs: sec(30), value: 42 }] },
            { kind: 'gauge', name: 'nodejs_heap_size_used_bytes', points: [{ timeNs: sec(30), value: 1 }] },
            { kind: 'sum', name: 'process_cpu_user_seconds', temporality: 'cumulative', monotonic: true, points: [{ startNs: sec(0), timeNs: sec(30), value: 123_456_789 }] },
          ],
        };
        const refused = partialOf(await sender.send(transport, impostor));
        assert.equal(refused.rejected, 4);
        assert.match(refused.message, /reserved[_ ]name/i);

        for (let scrapeNumber = 1; scrapeNumber <= 3; scrapeNumber++) {
          const families = await scrape(addresses);
          const context = `scrape ${scrapeNumber}`;
          assert.equal(valueOf(families, DROPPED_METRIC, { reason: 'out_of_order' }), 3, context);
          assert.equal(droppedBy(families, 'reserved_name'), 4, context);
          assert.equal(droppedBy(families, 'duplicate_series'), 0, context);
          assert.equal(valueOf(families, 'otel_prom_bridge_series'), 3, `${context}: the three probe series`);
          assert.ok(valueOf(families, 'nodejs_heap_size_used_bytes') > 1_000_000, `${context}: the sidecar's own heap`);
          assert.ok(valueOf(families, 'process_cpu_user_seconds_total') < 1_000_000, `${context}: the sidecar's own CPU time`);
        }
        assert.equal(sidecar.droppedCounts().get('duplicate_series') ?? 0, 0);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 6. Histogram count against its buckets

describe('a histogram whose count is not the sum of its buckets', () => {
  for (const transport of TRANSPORTS) {
    for (const temporality of ['cumulative', 'delta'] as const) {
      it(`${transport}, ${temporality}: count above and below the buckets' sum are refused as invalid_point, the good points of the request are kept`, async () => {
        await withSidecar(async ({ addresses, sender }) => {
          const times = { startNs: sec(0), timeNs: sec(10) };
          const spec: ExportSpec = {
            resource: { 'service.name': 'uploader' },
            scope: { name: 'hand-built' },
            metrics: [
              {
                kind: 'histogram',
                name: 'payload',
                unit: 'By',
                temporality,
                points: [
                  { attributes: { case: 'good' }, ...times, bounds: PAYLOAD_BOUNDS, counts: [1, 2, 3], sum: 300 },
                  // 5 > 3: two phantom observations in +Inf.
                  { attributes: { case: 'over' }, ...times, bounds: PAYLOAD_BOUNDS, counts: [1, 1, 1], count: 5, sum: 300 },
                  { attributes: { case: 'under' }, ...times, bounds: PAYLOAD_BOUNDS, counts: [2, 2, 2], count: 4, sum: 300 },
                ],
              },
              { kind: 'sum', name: 'uploads', temporality, monotonic: true, points: [{ ...times, value: 7 }] },
            ],
          };
          const refused = partialOf(await sender.send(transport, spec));
          assert.equal(refused.rejected, 2);
          assert.match(refused.message, /invalid[_ ]point/i);
          assert.match(refused.message, /over/);
          assert.match(refused.message, /under/);

          const families = await scrape(addresses);
          const uploader = { job: 'uploader' };
          assert.deepEqual(exposedBuckets(families, 'payload_bytes', { ...uploader, case: 'good' }), { '10': 1, '100': 3, '+Inf': 6 });
          assert.equal(valueOf(families, 'payload_bytes_count', { ...uploader, case: 'good' }), 6);
          assert.equal(valueOf(families, 'payload_bytes_sum', { ...uploader, case: 'good' }), 300);
          for (const bad of ['over', 'under']) assert.deepEqual(samplesOf(families, 'payload_bytes_count', { case: bad }), [], `no series for case=${bad}`);
          assert.equal(valueOf(families, 'uploads_total', uploader), 7);
          assert.equal(droppedBy(families, 'invalid_point'), 2);
        });
      });
    }
  }
});
