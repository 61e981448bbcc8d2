/**
 * Consistency under concurrency: a scrape taken while data is being ingested never shows a torn
 * histogram (buckets non-decreasing, `+Inf` equal to `_count`) nor a counter going backwards
 * (except where the test reset it), and shows exactly what was accepted so far.
 *
 * 1. A property test over seeded interleavings of requests and renders on the series store
 *    (through the real decoders, both encodings): delta and cumulative counters and histograms,
 *    resets, late points (a late delta window is added, a stale cumulative point refused). Each
 *    render is checked against a model of what was accepted, value for value.
 * 2. The same over HTTP and gRPC: concurrent clients push delta and cumulative data to a running
 *    sidecar while concurrent scrapes are checked; at the end every counter equals what the
 *    clients were told was accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import { decodeExportMetricsServiceRequestJson } from '../../src/otlp/decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import { SeededRandom, seedFromEnv } from '../helpers/seededRandom.ts';
import { get, quietLogger, startSidecar, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { counterValues, findCountersGoingBack, findTornHistograms } from './expositionChecks.ts';
import { buildJsonRequest, buildProtobufRequest, type PointSpec, type RequestSpec, type Temporality } from '../helpers/otlpRequests.ts';
import { grpcClient, grpcExport, postExport } from '../helpers/sendExport.ts';
import { resolveSidecarSettings } from '../../src/sidecar/sidecarSettings.ts';
import { toStoreTranslation } from '../../src/config/translationSettings.ts';

const INTERLEAVINGS = Number(process.env.CONSISTENCY_RUNS ?? 200);
const STEPS = 60;
const BOUNDS = [1, 10, 100] as const;
const COUNTER = 'rel.requests';
const HISTOGRAM = 'rel.latency';
const COUNTER_SAMPLE = 'rel_requests_total';
const HISTOGRAM_SAMPLE = 'rel_latency_milliseconds';
const BASE_NS = 1_700_000_000_000_000_000n;
const MS_NS = 1_000_000n;

/** The sidecar's own translation settings (its defaults). */
const SIDECAR_TRANSLATION = toStoreTranslation(resolveSidecarSettings({}));

/** What the test believes one series holds. */
interface ModelSeries {
  value: number;
  counts: number[];
  sum: number;
  lastNs: bigint;
}

interface Service {
  readonly name: string;
  readonly temporality: Temporality;
  startNs: bigint;
}

/** The model: per service and series label, what was accepted; and which were reset since the last render. */
class Model {
  readonly series = new Map<string, ModelSeries>();
  readonly resetSinceRender = new Set<string>();

  static key(service: string, kind: 'counter' | 'histogram', series: string): string {
    return `${service}/${kind}/${series}`;
  }
}

function checkAgainstModel(families: readonly ParsedFamily[], model: Model, what: string): void {
  const samples = families.flatMap((family) => family.samples);
  const find = (name: string, job: string, series: string, le?: string) =>
    samples.find((s) => s.name === name && s.labels.job === job && s.labels.series === series && (le === undefined || s.labels.le === le))?.value;
  for (const [key, expected] of model.series) {
    const [job, kind, series] = key.split('/') as [string, string, string];
    if (kind === 'counter') {
      assert.equal(find(COUNTER_SAMPLE, job, series), expected.value, `${what}: counter ${key}`);
      continue;
    }
    let cumulative = 0;
    BOUNDS.forEach((bound, i) => {
      cumulative += expected.counts[i]!;
      assert.equal(find(`${HISTOGRAM_SAMPLE}_bucket`, job, series, String(bound)), cumulative, `${what}: ${key} le=${bound}`);
    });
    cumulative += expected.counts[BOUNDS.length]!;
    assert.equal(find(`${HISTOGRAM_SAMPLE}_bucket`, job, series, '+Inf'), cumulative, `${what}: ${key} +Inf`);
    assert.equal(find(`${HISTOGRAM_SAMPLE}_count`, job, series), cumulative, `${what}: ${key} _count`);
    assert.equal(find(`${HISTOGRAM_SAMPLE}_sum`, job, series), expected.sum, `${what}: ${key} _sum`);
  }
}

/** One seeded interleaving: STEPS requests (some stale, some resets), renders in between; every render checked. */
function runInterleaving(seed: number): { requests: number; renders: number; refusedStale: number; lateDeltasAdded: number } {
  const random = new SeededRandom(seed);
  const store = new SeriesStore(SIDECAR_TRANSLATION, new DropCounter(quietLogger), { maxSeries: 10_000 });
  const services: Service[] = [
    { name: 'delta-svc', temporality: 'delta', startNs: BASE_NS },
    { name: 'cumulative-svc', temporality: 'cumulative', startNs: BASE_NS },
  ];
  const model = new Model();
  let clockNs = BASE_NS;
  let previous = new Map<string, number>();
  let renders = 0;
  let refusedStale = 0;
  let lateDeltasAdded = 0;

  const apply = (spec: RequestSpec): number => {
    const decoded = random.chance(0.5) ? decodeExportMetricsServiceRequest(buildProtobufRequest(spec)) : decodeExportMetricsServiceRequestJson(buildJsonRequest(spec));
    return store.applyAll(decoded, Number(spec.timeNs / MS_NS)).rejectedPoints;
  };

  for (let step = 0; step < STEPS; step++) {
    const service = random.pick(services);
    const names = [...new Set(Array.from({ length: random.between(1, 4) }, () => `s${random.int(5)}`))];
    const kinds = names.map(() => random.pick(['counter', 'histogram'] as const));
    const stale = names.length === 1 && model.series.has(Model.key(service.name, kinds[0]!, names[0]!)) && random.chance(0.08);
    if (stale) {
      // A point older than the last one accepted. A delta window is added all the same (another
      // writer's, or a retry overtaken by the next export): half-ms bounds, shifted 10 µs for each
      // late one, so that it is never the very window of an earlier export. A cumulative point is
      // refused, and nothing changes.
      const key = Model.key(service.name, kinds[0]!, names[0]!);
      const current = model.series.get(key)!;
      const shift = 10_000n * BigInt(lateDeltasAdded + refusedStale);
      const point: PointSpec = kinds[0] === 'counter' ? { kind: 'counter', series: names[0]!, value: 1.5 } : { kind: 'histogram', series: names[0]!, counts: [1, 0, 2, 1], sum: 4.5 };
      const spec: RequestSpec = {
        service: service.name,
        temporality: service.temporality,
        startNs: current.lastNs - (3n * MS_NS) / 2n - shift,
        timeNs: current.lastNs - MS_NS / 2n - shift,
        counterName: COUNTER,
        histogramName: HISTOGRAM,
        bounds: BOUNDS,
        points: [point],
      };
      if (service.temporality === 'delta') {
        assert.equal(apply(spec), 0, `seed ${seed} step ${step}: a late delta window is added`);
        if (point.kind === 'counter') current.value += point.value;
        else {
          current.counts = current.counts.map((count, b) => count + point.counts[b]!);
          current.sum += point.sum;
        }
        lateDeltasAdded++;
      } else {
        assert.equal(apply(spec), 1, `seed ${seed} step ${step}: a stale cumulative point must be refused`);
        refusedStale++;
      }
    } else {
      const startOfDelta = clockNs;
      clockNs += MS_NS * BigInt(random.between(1, 20));
      const reset = service.temporality === 'cumulative' && random.chance(0.07);
      if (reset) service.startNs = clockNs - MS_NS / 2n;
      const points: PointSpec[] = names.map((series, i) => {
        const key = Model.key(service.name, kinds[i]!, series);
        const current = model.series.get(key) ?? { value: 0, counts: [0, 0, 0, 0], sum: 0, lastNs: 0n };
        const base = reset ? { value: 0, counts: [0, 0, 0, 0], sum: 0 } : current;
        // Halves keep sums exact in binary floating point.
        const inc = random.int(20) / 2;
        const incCounts = [random.int(4), random.int(4), random.int(4), random.int(4)];
        const incSum = random.int(100) / 2;
        const next: ModelSeries =
          service.temporality === 'delta'
            ? { value: current.value + inc, counts: current.counts.map((c, b) => c + incCounts[b]!), sum: current.sum + incSum, lastNs: clockNs }
            : { value: base.value + inc, counts: base.counts.map((c, b) => c + incCounts[b]!), sum: base.sum + incSum, lastNs: clockNs };
        model.series.set(key, next);
        if (reset) model.resetSinceRender.add(`${service.name}/${series}`);
        if (kinds[i] === 'counter') return { kind: 'counter', series, value: service.temporality === 'delta' ? inc : next.value };
        return service.temporality === 'delta' ? { kind: 'histogram', series, counts: incCounts, sum: incSum } : { kind: 'histogram', series, counts: next.counts, sum: next.sum };
      });
      const spec: RequestSpec = {
        service: service.name,
        temporality: service.temporality,
        startNs: service.temporality === 'delta' ? startOfDelta : service.startNs,
        timeNs: clockNs,
        counterName: COUNTER,
        histogramName: HISTOGRAM,
        bounds: BOUNDS,
        points,
      };
      assert.equal(apply(spec), 0, `seed ${seed} step ${step}: nothing refused`);
    }
    if (random.chance(0.35) || step === STEPS - 1) {
      const openMetrics = random.chance(0.5);
      const { body } = renderExposition(store.families(), openMetrics ? 'application/openmetrics-text; version=1.0.0' : 'text/plain', { maxExponentialBuckets: 40 });
      const families = parseExposition(body, openMetrics ? 'openmetrics' : 'text');
      const what = `seed ${seed} step ${step}`;
      assert.deepEqual(findTornHistograms(families), [], what);
      const values = counterValues(families);
      const resets = model.resetSinceRender;
      const wasReset = (key: string) => [...resets].some((reset) => {
        const [job, series] = reset.split('/');
        return key.includes(`["job","${job}"]`) && key.includes(`["series","${series}"]`);
      });
      assert.deepEqual(findCountersGoingBack(previous, values, wasReset), [], what);
      checkAgainstModel(families, model, what);
      previous = values;
      model.resetSinceRender.clear();
      renders++;
    }
  }
  return { requests: STEPS, renders, refusedStale, lateDeltasAdded };
}

describe('consistency: seeded interleavings on the series store', () => {
  it(`${INTERLEAVINGS} interleavings of ${STEPS} requests: every render whole, monotonic and exactly what was accepted`, () => {
    const first = seedFromEnv(9100);
    let renders = 0;
    let refusedStale = 0;
    let lateDeltasAdded = 0;
    for (let run = 0; run < INTERLEAVINGS; run++) {
      const result = runInterleaving(first + run);
      renders += result.renders;
      refusedStale += result.refusedStale;
      lateDeltasAdded += result.lateDeltasAdded;
    }
    console.log(
      `consistency: ${INTERLEAVINGS} interleavings, ${INTERLEAVINGS * STEPS} requests, ${renders} renders checked, ${refusedStale} stale cumulative points refused, ${lateDeltasAdded} late delta windows added`,
    );
    assert.ok(refusedStale > 0 && lateDeltasAdded > 0 && renders > INTERLEAVINGS);
  });
});

describe('consistency: concurrent clients and scrapes over HTTP and gRPC', () => {
  const CLIENTS = 6;
  const PUSHES = 60;
  const SERIES = 20;
  let running: RunningSidecar;
  let clients: grpc.Client[];
  before(async () => {
    running = await startSidecar({ maxInFlightRequests: 1000 });
    clients = Array.from({ length: CLIENTS }, () => grpcClient(running.addresses.otlpGrpc.port));
  });
  after(async () => {
    for (const client of clients) client.close();
    await running.sidecar.stop();
  });

  it(`${CLIENTS} clients × ${PUSHES} pushes of ${SERIES} counters and histograms while scrapes run: no torn histogram, no counter going back, exact totals`, { timeout: 120_000 }, async () => {
    const url = running.addresses.otlpHttp.url;
    const expected = new Map<string, number>();
    let done = false;
    const pushers = Array.from({ length: CLIENTS }, async (_, c) => {
      const transport = (['protobuf', 'json', 'grpc'] as const)[c % 3]!;
      const temporality: Temporality = c % 2 === 0 ? 'delta' : 'cumulative';
      const service = `conc-${c}`;
      const totals = new Array<number>(SERIES).fill(0);
      const counts = Array.from({ length: SERIES }, () => [0, 0, 0, 0]);
      for (let push = 0; push < PUSHES; push++) {
        const startNs = temporality === 'delta' ? BASE_NS + BigInt(push) * MS_NS : BASE_NS;
        const points: PointSpec[] = [];
        for (let s = 0; s < SERIES; s++) {
          totals[s]! += 1;
          counts[s]![s % 4]! += 1;
          points.push({ kind: 'counter', series: `s${s}`, value: temporality === 'delta' ? 1 : totals[s]! });
          points.push(temporality === 'delta' ? { kind: 'histogram', series: `s${s}`, counts: [0, 0, 0, 0].map((_, b) => (b === s % 4 ? 1 : 0)), sum: 1 } : { kind: 'histogram', series: `s${s}`, counts: [...counts[s]!], sum: totals[s]! });
        }
        const spec: RequestSpec = { service, temporality, startNs, timeNs: BASE_NS + BigInt(push + 1) * MS_NS, counterName: COUNTER, histogramName: HISTOGRAM, bounds: BOUNDS, points };
        const answer =
          transport === 'grpc' ? await grpcExport(clients[c]!, buildProtobufRequest(spec)) : await postExport(url, transport, transport === 'protobuf' ? buildProtobufRequest(spec) : buildJsonRequest(spec));
        assert.deepEqual(answer, { kind: 'accepted' }, `${service} push ${push}`);
      }
      for (let s = 0; s < SERIES; s++) expected.set(`${service}/s${s}`, totals[s]!);
    });
    let scrapes = 0;
    const scraper = async () => {
      let previous = new Map<string, number>();
      for (let i = 0; i < 10_000 && !done; i++) {
        const openMetrics = i % 2 === 1;
        const response = await get(running.addresses.metrics.url, openMetrics ? { accept: 'application/openmetrics-text; version=1.0.0' } : {});
        assert.equal(response.status, 200);
        const families = parseExposition(await response.text(), openMetrics ? 'openmetrics' : 'text');
        assert.deepEqual(findTornHistograms(families), [], `scrape ${i}`);
        const values = counterValues(families);
        assert.deepEqual(findCountersGoingBack(previous, values), [], `scrape ${i}`);
        previous = values;
        scrapes++;
      }
    };
    const scrapers = [scraper(), scraper()];
    await Promise.all(pushers).finally(() => (done = true));
    await Promise.all(scrapers);
    const response = await get(running.addresses.metrics.url);
    const families = parseExposition(await response.text(), 'text');
    assert.deepEqual(findTornHistograms(families), []);
    const samples = families.flatMap((family) => family.samples);
    for (const [key, total] of expected) {
      const [job, series] = key.split('/') as [string, string];
      const value = (name: string) => samples.find((s) => s.name === name && s.labels.job === job && s.labels.series === series)?.value;
      assert.equal(value(COUNTER_SAMPLE), total, key);
      assert.equal(value(`${HISTOGRAM_SAMPLE}_count`), total, key);
      assert.equal(value(`${HISTOGRAM_SAMPLE}_sum`), total, key);
    }
    console.log(`consistency over HTTP/gRPC: ${CLIENTS * PUSHES} exports of ${SERIES * 2} points, ${scrapes} concurrent scrapes checked`);
    assert.ok(scrapes >= 1);
  });
});
