/**
 * The load run behind `npm run test:load` (full size) and the short version in `npm test`: the CLI
 * sidecar in a child process (its RSS is its own), OTLP clients in this process (protobuf, JSON and
 * gRPC; cumulative and delta) pushing counters and histograms on a fixed interval, a
 * Prometheus-style scraper every second (OpenMetrics, gzip, 10 s timeout), and at the end a final
 * scrape checked series by series against what the clients were told was accepted.
 *
 * A client whose export is refused for overload (503 / UNAVAILABLE) retries the same export after
 * `retryDelayMs`, as the OTLP exporters do, up to `maxRetries` times; retries are counted, and an
 * export given up on is reported (as the SDK would lose it). Any other refusal fails the run.
 * Pushes never catch up: a client that falls behind its interval skips ahead, and the rate achieved
 * is what is reported.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import type * as grpc from '@grpc/grpc-js';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import { startCliSidecar, type CliSidecar } from '../helpers/cliChild.ts';
import { counterValues, findCountersGoingBack, findTornHistograms } from '../reliability/expositionChecks.ts';
import { grpcClient, grpcExport, postExport, type ExportAnswer } from '../helpers/sendExport.ts';
import { JsonRequestBuilder, PatchableRequest, type PushValues } from './patchableRequest.ts';
import { startRemoteWriteReceiver } from './remoteWriteReceiver.ts';

export interface LoadParameters {
  readonly clients: number;
  /** Series per client: half counters, half histograms. */
  readonly seriesPerClient: number;
  readonly intervalMs: number;
  readonly durationMs: number;
  readonly scrapeIntervalMs: number;
  /** Parse and check every n-th scrape in full (torn histograms, counters going back). */
  readonly checkEveryNthScrape: number;
  readonly retryDelayMs: number;
  readonly maxRetries: number;
  /** RSS samples before this share of the duration are warm-up. */
  readonly warmupShare: number;
  /** The sidecar also remote-writes (every second) to a receiver here, checked series by series at the end. */
  readonly remoteWrite?: boolean;
}

/** The figures: 20 clients × 1,000 series every 100 ms for 60 s, scrapes every second. */
export const FULL_LOAD: LoadParameters = {
  clients: 20,
  seriesPerClient: 1000,
  intervalMs: 100,
  durationMs: 60_000,
  scrapeIntervalMs: 1000,
  checkEveryNthScrape: 5,
  retryDelayMs: 1000,
  maxRetries: 10,
  warmupShare: 0.25,
};

/** What CI runs inside `npm test`. */
export const SHORT_LOAD: LoadParameters = { ...FULL_LOAD, clients: 6, seriesPerClient: 200, durationMs: 5_000, checkEveryNthScrape: 1 };

/** `LOAD_CLIENTS`, `LOAD_SERIES`, `LOAD_INTERVAL_MS`, `LOAD_DURATION_S`, `LOAD_SCRAPE_INTERVAL_MS`, `LOAD_REMOTE_WRITE=1` over `base`. */
export function parametersFromEnv(base: LoadParameters, env: NodeJS.ProcessEnv = process.env): LoadParameters {
  const read = (name: string, fallback: number, scale = 1): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback * scale;
    const value = Number(raw);
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number; got ${JSON.stringify(raw)}.`);
    return value * scale;
  };
  return {
    ...base,
    clients: Math.round(read('LOAD_CLIENTS', base.clients)),
    seriesPerClient: Math.round(read('LOAD_SERIES', base.seriesPerClient)),
    intervalMs: read('LOAD_INTERVAL_MS', base.intervalMs),
    durationMs: read('LOAD_DURATION_S', base.durationMs / 1000, 1000),
    scrapeIntervalMs: read('LOAD_SCRAPE_INTERVAL_MS', base.scrapeIntervalMs),
    remoteWrite: env.LOAD_REMOTE_WRITE === '1' || base.remoteWrite === true,
  };
}

type Transport = 'protobuf' | 'json' | 'grpc';

interface ClientState {
  readonly index: number;
  readonly service: string;
  readonly transport: Transport;
  readonly temporality: 'delta' | 'cumulative';
  /** What the sidecar acknowledged: per counter its total, per histogram its bucket totals and sum. */
  readonly counterTotals: Float64Array;
  readonly bucketTotals: Float64Array[];
  readonly sumTotals: Float64Array;
  pushes: number;
  accepted: number;
  retries: number;
  givenUp: number;
  skippedIntervals: number;
  readonly failures: string[];
  /** Each export's time from send to answer (retries included), ms. */
  readonly latencies: number[];
}

export interface LoadReport {
  readonly parameters: LoadParameters;
  readonly elapsedMs: number;
  readonly exportsAccepted: number;
  readonly pointsAccepted: number;
  readonly pointsPerSecond: number;
  readonly targetPointsPerSecond: number;
  readonly retries: number;
  readonly exportsGivenUp: number;
  readonly skippedIntervals: number;
  readonly failures: readonly string[];
  readonly exportLatencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly scrapes: number;
  readonly scrapesFailed: number;
  readonly scrapesChecked: number;
  readonly scrapeLatencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly scrapeBytes: number;
  readonly consistencyProblems: readonly string[];
  /** Series whose final value differs from what was acknowledged (must be 0), with the first few. */
  readonly mismatchedSeries: number;
  readonly mismatches: readonly string[];
  readonly seriesChecked: number;
  /** CPU used during the load, in cores (1 = one core busy all the time): the sidecar, and this test process (the clients and the scraper). */
  readonly cpuCores: { readonly sidecar: number; readonly clients: number };
  readonly rssMiB: { readonly afterStart: number; readonly endOfWarmup: number; readonly max: number; readonly end: number };
  readonly exit: { readonly code: number | null; readonly signal: string | null };
  /** With `remoteWrite`: the receiver's newest sample of every series against what was acknowledged, after the drain. */
  readonly remoteWrite?: { readonly requests: number; readonly samples: number; readonly outOfOrder: number; readonly seriesChecked: number; readonly mismatchedSeries: number; readonly mismatches: readonly string[] };
}

const BOUNDS = [1, 10, 100];
const MIB = 1024 * 1024;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(latencies: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? Number.NaN) };
}

/** The values of push `k` for series `i`: increments vary so that a lost or doubled push shows. */
function increment(k: number, i: number): number {
  return 1 + ((k + i) % 3);
}

async function runClient(state: ClientState, parameters: LoadParameters, sidecar: CliSidecar, deadline: number): Promise<void> {
  const counters = Math.ceil(parameters.seriesPerClient / 2);
  const histograms = parameters.seriesPerClient - counters;
  const spec = { service: state.service, temporality: state.temporality, counterName: 'load.requests', histogramName: 'load.latency', bounds: BOUNDS, counters, histograms };
  const protobuf = state.transport === 'json' ? undefined : new PatchableRequest(spec);
  const json = state.transport === 'json' ? new JsonRequestBuilder(spec) : undefined;
  const client: grpc.Client | undefined = state.transport === 'grpc' ? grpcClient(sidecar.otlpGrpcPort) : undefined;
  const baseNs = BigInt(Date.now()) * 1_000_000n;
  const values = new Float64Array(counters);
  const buckets = Array.from({ length: histograms }, () => new Float64Array(BOUNDS.length + 1));
  const sums = new Float64Array(histograms);
  let next = performance.now();
  try {
    for (let k = 0; performance.now() < deadline && k < 1_000_000; k++) {
      // The push's data: delta sends this push's increments, cumulative the running totals.
      for (let i = 0; i < counters; i++) values[i] = state.temporality === 'delta' ? increment(k, i) : state.counterTotals[i]! + increment(k, i);
      for (let i = 0; i < histograms; i++) {
        const bucket = (k + i) % (BOUNDS.length + 1);
        for (let b = 0; b <= BOUNDS.length; b++) buckets[i]![b] = (state.temporality === 'delta' ? 0 : state.bucketTotals[i]![b]!) + (b === bucket ? increment(k, i) : 0);
        sums[i] = (state.temporality === 'delta' ? 0 : state.sumTotals[i]!) + increment(k, i) * 0.5;
      }
      const push: PushValues = {
        startNs: state.temporality === 'delta' ? baseNs + BigInt(k) * 1_000_000n : baseNs,
        timeNs: baseNs + BigInt(k + 1) * 1_000_000n,
        values,
        buckets,
        sums,
      };
      const body = json === undefined ? protobuf!.patch(push) : json.build(push);
      let answer: ExportAnswer | undefined;
      const sentAt = performance.now();
      for (let attempt = 0; attempt <= parameters.maxRetries; attempt++) {
        if (attempt > 0) {
          state.retries++;
          await delay(parameters.retryDelayMs);
        }
        try {
          answer =
            state.transport === 'grpc'
              ? await grpcExport(client!, body as Buffer, 30_000)
              : await postExport(sidecar.otlpHttpUrl, state.transport, body, 30_000);
        } catch (error) {
          answer = { kind: 'retry', detail: `connection: ${String(error)}` };
        }
        if (answer.kind !== 'retry') break;
      }
      state.pushes++;
      state.latencies.push(performance.now() - sentAt);
      if (answer!.kind === 'accepted') {
        state.accepted++;
        // Acknowledged: now part of what the sidecar must show.
        for (let i = 0; i < counters; i++) state.counterTotals[i] = state.temporality === 'delta' ? state.counterTotals[i]! + values[i]! : values[i]!;
        for (let i = 0; i < histograms; i++) {
          for (let b = 0; b <= BOUNDS.length; b++) state.bucketTotals[i]![b] = state.temporality === 'delta' ? state.bucketTotals[i]![b]! + buckets[i]![b]! : buckets[i]![b]!;
          state.sumTotals[i] = state.temporality === 'delta' ? state.sumTotals[i]! + sums[i]! : sums[i]!;
        }
      } else if (answer!.kind === 'retry') state.givenUp++;
      else {
        state.failures.push(`${state.service} push ${k}: ${JSON.stringify(answer)}`);
        if (state.failures.length > 5) return;
      }
      next += parameters.intervalMs;
      const now = performance.now();
      if (next < now) {
        // Behind: skip the intervals missed rather than bursting to catch up.
        const missed = Math.ceil((now - next) / parameters.intervalMs);
        state.skippedIntervals += missed;
        next += missed * parameters.intervalMs;
      }
      await delay(next - performance.now());
    }
  } finally {
    client?.close();
  }
}

interface ScrapeState {
  latencies: number[];
  failed: number;
  checked: number;
  bytes: number;
  readonly problems: string[];
}

async function scrapeOnce(url: string): Promise<{ ms: number; text: string | undefined; status: number }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5', 'accept-encoding': 'gzip' },
      signal: AbortSignal.timeout(10_000),
    });
    // fetch inflates gzip itself; read as bytes in case it did not.
    const raw = Buffer.from(await response.arrayBuffer());
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    return { ms: performance.now() - started, text, status: response.status };
  } catch {
    return { ms: performance.now() - started, text: undefined, status: 0 };
  }
}

async function runScraper(url: string, parameters: LoadParameters, state: ScrapeState, until: () => boolean): Promise<void> {
  let previous = new Map<string, number>();
  let next = performance.now();
  for (let n = 0; !until() && n < 100_000; n++) {
    const { ms, text, status } = await scrapeOnce(url);
    state.latencies.push(ms);
    if (status !== 200 || text === undefined) state.failed++;
    else {
      state.bytes = text.length;
      if (n % parameters.checkEveryNthScrape === 0) {
        try {
          const families = parseExposition(text, 'openmetrics');
          state.problems.push(...findTornHistograms(families).slice(0, 5));
          const values = counterValues(families);
          state.problems.push(...findCountersGoingBack(previous, values).slice(0, 5));
          previous = values;
          state.checked++;
        } catch (error) {
          state.problems.push(`scrape ${n}: ${String(error).slice(0, 300)}`);
        }
      }
    }
    next += parameters.scrapeIntervalMs;
    await delay(Math.max(0, next - performance.now()));
  }
}

/** Every series of every client against what was acknowledged: counters, buckets (cumulative), +Inf, _count, _sum. */
function compareFinal(families: readonly ParsedFamily[], clients: readonly ClientState[]): { checked: number; mismatches: string[]; count: number } {
  const index = new Map<string, number>();
  for (const family of families) {
    for (const sample of family.samples) {
      const job = sample.labels.job;
      if (job === undefined || !job.startsWith('load-')) continue;
      index.set(`${sample.name}|${job}|${sample.labels.series}|${sample.labels.le ?? ''}`, sample.value);
    }
  }
  return compareValues(index, clients);
}

/** Every acknowledged series against `index` (key `name|job|series|le`). */
function compareValues(index: ReadonlyMap<string, number>, clients: readonly ClientState[]): { checked: number; mismatches: string[]; count: number } {
  const mismatches: string[] = [];
  let count = 0;
  let checked = 0;
  const expect = (key: string, expected: number) => {
    const actual = index.get(key);
    if (actual !== expected) {
      count++;
      if (mismatches.length < 20) mismatches.push(`${key}: ${String(actual)} ≠ ${expected}`);
    }
  };
  for (const client of clients) {
    if (client.accepted === 0) continue;
    client.counterTotals.forEach((total, i) => {
      checked++;
      expect(`load_requests_total|${client.service}|c${i}|`, total);
    });
    client.bucketTotals.forEach((totals, i) => {
      checked++;
      let cumulative = 0;
      BOUNDS.forEach((bound, b) => {
        cumulative += totals[b]!;
        expect(`load_latency_milliseconds_bucket|${client.service}|h${i}|${bound}`, cumulative);
      });
      cumulative += totals[BOUNDS.length]!;
      expect(`load_latency_milliseconds_bucket|${client.service}|h${i}|+Inf`, cumulative);
      expect(`load_latency_milliseconds_count|${client.service}|h${i}|`, cumulative);
      expect(`load_latency_milliseconds_sum|${client.service}|h${i}|`, client.sumTotals[i]!);
    });
  }
  return { checked, mismatches, count };
}

/** Runs the load; `log` gets progress lines. The sidecar is stopped (SIGTERM) at the end. */
export async function runLoad(parameters: LoadParameters, log: (line: string) => void = () => undefined): Promise<LoadReport> {
  const receiver = parameters.remoteWrite === true ? await startRemoteWriteReceiver() : undefined;
  const sidecar = await startCliSidecar([
    '--metric-expiration',
    '10m',
    // With remote write, the drain sends what the last round holds.
    ...(receiver === undefined ? ['--drain-period', '0s'] : ['--drain-period', '10s', '--remote-write-url', receiver.url, '--remote-write-interval', '1s']),
  ]);
  const rssSamples: { atMs: number; bytes: number }[] = [];
  try {
    const started = performance.now();
    const sidecarCpuAtStart = sidecar.cpuSeconds() ?? 0;
    const clientCpuAtStart = process.cpuUsage();
    const rssTimer = setInterval(() => {
      const bytes = sidecar.rssBytes();
      if (bytes !== undefined) rssSamples.push({ atMs: performance.now() - started, bytes });
    }, 500);
    const afterStart = sidecar.rssBytes() ?? 0;
    const transports: Transport[] = ['protobuf', 'json', 'grpc'];
    const clients: ClientState[] = Array.from({ length: parameters.clients }, (_, c) => {
      const counters = Math.ceil(parameters.seriesPerClient / 2);
      const histograms = parameters.seriesPerClient - counters;
      return {
        index: c,
        service: `load-${c}`,
        transport: transports[c % 3]!,
        temporality: Math.floor(c / 3) % 2 === 0 ? 'delta' : 'cumulative',
        counterTotals: new Float64Array(counters),
        bucketTotals: Array.from({ length: histograms }, () => new Float64Array(BOUNDS.length + 1)),
        sumTotals: new Float64Array(histograms),
        pushes: 0,
        accepted: 0,
        retries: 0,
        givenUp: 0,
        skippedIntervals: 0,
        failures: [],
        latencies: [],
      };
    });
    const deadline = performance.now() + parameters.durationMs;
    let clientsDone = false;
    const scrapes: ScrapeState = { latencies: [], failed: 0, checked: 0, bytes: 0, problems: [] };
    const progress = setInterval(() => {
      const accepted = clients.reduce((n, c) => n + c.accepted, 0);
      log(`load: ${Math.round((performance.now() - started) / 1000)} s, ${accepted} exports accepted, ${scrapes.latencies.length} scrapes, sidecar RSS ${Math.round((sidecar.rssBytes() ?? 0) / MIB)} MiB`);
    }, 10_000);
    try {
      // Clients start spread over one interval, as independent services would.
      const running = clients.map(async (client) => {
        await delay((client.index * parameters.intervalMs) / parameters.clients);
        await runClient(client, parameters, sidecar, deadline);
      });
      const scraper = runScraper(sidecar.metricsUrl, parameters, scrapes, () => clientsDone);
      await Promise.all(running).finally(() => (clientsDone = true));
      await scraper;
    } finally {
      clearInterval(progress);
      clearInterval(rssTimer);
    }
    const elapsedMs = performance.now() - started;
    const sidecarCpu = (sidecar.cpuSeconds() ?? 0) - sidecarCpuAtStart;
    const clientCpuUsage = process.cpuUsage(clientCpuAtStart);
    const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
    // The final scrape: every series against what its client was told was accepted.
    const final = await scrapeOnce(sidecar.metricsUrl);
    const families = final.text === undefined ? [] : parseExposition(final.text, 'openmetrics');
    const consistencyProblems = [...scrapes.problems, ...findTornHistograms(families).slice(0, 5)];
    const { checked, mismatches, count } = compareFinal(families, clients);
    const endRss = sidecar.rssBytes() ?? 0;
    sidecar.child.kill('SIGTERM');
    const exit = (await Promise.race([sidecar.exited, delay(20_000, { code: null, signal: 'timeout' as NodeJS.Signals }, { ref: false })])) ?? { code: null, signal: null };
    const warm = rssSamples.filter((sample) => sample.atMs <= parameters.warmupShare * parameters.durationMs);
    const remoteWrite =
      receiver === undefined
        ? undefined
        : (() => {
            const compared = compareValues(new Map([...receiver.latest].map(([key, { value }]) => [key, value])), clients);
            return { ...receiver.stats, seriesChecked: compared.checked, mismatchedSeries: compared.count, mismatches: compared.mismatches };
          })();
    const exportsAccepted = clients.reduce((n, c) => n + c.accepted, 0);
    const pointsAccepted = exportsAccepted * parameters.seriesPerClient;
    return {
      parameters,
      elapsedMs: Math.round(elapsedMs),
      exportsAccepted,
      pointsAccepted,
      pointsPerSecond: Math.round(pointsAccepted / (parameters.durationMs / 1000)),
      targetPointsPerSecond: Math.round((parameters.clients * parameters.seriesPerClient * 1000) / parameters.intervalMs),
      retries: clients.reduce((n, c) => n + c.retries, 0),
      exportsGivenUp: clients.reduce((n, c) => n + c.givenUp, 0),
      skippedIntervals: clients.reduce((n, c) => n + c.skippedIntervals, 0),
      failures: clients.flatMap((c) => c.failures).slice(0, 20),
      exportLatencyMs: summarize(clients.flatMap((c) => c.latencies)),
      scrapes: scrapes.latencies.length,
      scrapesFailed: scrapes.failed + (final.status === 200 ? 0 : 1),
      scrapesChecked: scrapes.checked,
      scrapeLatencyMs: summarize(scrapes.latencies),
      scrapeBytes: final.text?.length ?? 0,
      consistencyProblems,
      mismatchedSeries: count,
      mismatches,
      seriesChecked: checked,
      cpuCores: { sidecar: Math.round((sidecarCpu / (elapsedMs / 1000)) * 100) / 100, clients: Math.round((clientCpu / (elapsedMs / 1000)) * 100) / 100 },
      rssMiB: {
        afterStart: Math.round(afterStart / MIB),
        endOfWarmup: Math.round((warm.at(-1)?.bytes ?? afterStart) / MIB),
        max: Math.round(Math.max(afterStart, ...rssSamples.map((sample) => sample.bytes)) / MIB),
        end: Math.round(endRss / MIB),
      },
      exit: { code: exit.code, signal: exit.signal },
      ...(remoteWrite === undefined ? {} : { remoteWrite }),
    };
  } finally {
    sidecar.kill();
    await receiver?.close();
  }
}
