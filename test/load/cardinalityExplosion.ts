/**
 * A cardinality explosion against the built CLI sidecar in a child process (its memory is its own):
 * `--max-series 1000 --metric-expiration 1h`, and clients pushing OTLP/protobuf in which every
 * point names a series never seen before, as fast as the sidecar answers. The limit is reached in
 * the first push; from then on every point is refused (`cardinality_limit`) and the expiry sweep
 * (every 6 minutes) never runs: only the bounds of what the sidecar keeps hold its memory. Its
 * RSS (from /proc) and V8 heap in use (its own `nodejs_heap_size_used_bytes`) are sampled
 * throughout. Every loop is bounded in count and time.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { startCliSidecar } from '../helpers/cliChild.ts';
import { postExport } from '../helpers/sendExport.ts';
import { EverNewSeriesRequest } from './everNewSeriesRequest.ts';

export interface ExplosionParameters {
  readonly clients: number;
  readonly pointsPerPush: number;
  readonly durationMs: number;
  /** Samples before this are warm-up (JIT, the first series, the heap finding its size). */
  readonly warmupMs: number;
  readonly sampleIntervalMs: number;
}

export const MAX_SERIES = 1000;

export interface MemorySample {
  readonly atS: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
}

export interface ExplosionReport {
  readonly pushes: number;
  readonly pointsAccepted: number;
  readonly pointsRefused: number;
  /** Points refused per second, on average over the run. */
  readonly refusedPerSecond: number;
  readonly seriesHeld: number;
  readonly samples: readonly MemorySample[];
  /** Medians of the samples after warm-up: its first third, its last third, and the growth between. */
  readonly rssMiB: ThirdsMedians;
  readonly heapUsedMiB: ThirdsMedians;
}

export interface ThirdsMedians {
  readonly firstThird: number;
  readonly lastThird: number;
  readonly growth: number;
}

const MIB = 1024 * 1024;
/** Retry after an overload refusal (503), as the OTLP exporters do, sooner. */
const RETRY_DELAY_MS = 100;

export async function runCardinalityExplosion(parameters: ExplosionParameters, log: (line: string) => void = () => undefined): Promise<ExplosionReport> {
  const sidecar = await startCliSidecar(['--max-series', String(MAX_SERIES), '--metric-expiration', '1h', '--drain-period', '0s'], [], 'built');
  const started = performance.now();
  const deadline = started + parameters.durationMs;
  // Bounded by count as well as time: more than the fastest machine could push in the duration.
  const maxPushesPerClient = Math.ceil(parameters.durationMs / 2);
  let pushes = 0;
  let pointsAccepted = 0;
  let pointsRefused = 0;
  const samples: MemorySample[] = [];
  let lastScrape = '';

  const client = async (index: number): Promise<void> => {
    const request = new EverNewSeriesRequest(index, parameters.pointsPerPush);
    for (let sent = 0; sent < maxPushesPerClient && performance.now() < deadline; sent++) {
      const answer = await postExport(sidecar.otlpHttpUrl, 'protobuf', request.next());
      if (answer.kind === 'retry') {
        await delay(RETRY_DELAY_MS);
        continue;
      }
      if (answer.kind === 'refused') throw new Error(`the sidecar refused an export: ${answer.status} ${answer.detail}`);
      const refused = answer.kind === 'partial' ? answer.rejected : 0;
      pushes++;
      pointsRefused += refused;
      pointsAccepted += parameters.pointsPerPush - refused;
    }
  };

  const sample = async (): Promise<void> => {
    const maxSamples = Math.ceil(parameters.durationMs / parameters.sampleIntervalMs) + 1;
    while (samples.length < maxSamples && performance.now() < deadline) {
      const response = await fetch(sidecar.metricsUrl, { signal: AbortSignal.timeout(10_000) });
      lastScrape = await response.text();
      const rss = sidecar.rssBytes() ?? valueIn(lastScrape, 'process_resident_memory_bytes');
      const atS = Math.round((performance.now() - started) / 100) / 10;
      samples.push({ atS, rssMiB: rss / MIB, heapUsedMiB: valueIn(lastScrape, 'nodejs_heap_size_used_bytes') / MIB });
      if (samples.length % 10 === 0) log(`explosion: ${atS} s, ${pushes} pushes, ${pointsRefused} points refused, RSS ${Math.round(rss / MIB)} MiB`);
      await delay(parameters.sampleIntervalMs);
    }
  };

  try {
    await Promise.all([...Array.from({ length: parameters.clients }, (_, i) => client(i)), sample()]);
  } finally {
    sidecar.kill();
  }
  const elapsedS = (performance.now() - started) / 1000;
  const warm = samples.filter((s) => s.atS * 1000 >= parameters.warmupMs);
  return {
    pushes,
    pointsAccepted,
    pointsRefused,
    refusedPerSecond: Math.round(pointsRefused / elapsedS),
    seriesHeld: valueIn(lastScrape, 'otel_prom_bridge_series'),
    samples,
    rssMiB: thirdsMedians(warm.map((s) => s.rssMiB)),
    heapUsedMiB: thirdsMedians(warm.map((s) => s.heapUsedMiB)),
  };
}

/** The value of an unlabelled sample in an exposition (NaN if absent). */
function valueIn(exposition: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(exposition);
  return match === null ? Number.NaN : Number(match[1]);
}

function thirdsMedians(values: readonly number[]): ThirdsMedians {
  const third = Math.floor(values.length / 3);
  const firstThird = round(median(values.slice(0, third)));
  const lastThird = round(median(values.slice(values.length - third)));
  return { firstThird, lastThird, growth: round(lastThird - firstThird) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function round(mib: number): number {
  return Math.round(mib * 10) / 10;
}
