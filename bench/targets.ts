import { findRow, type ResultRow } from './results.ts';
import type { WorkloadName } from './workload.ts';

/** A ratio of a peer's figure to ours on one workload (above 1: ours is faster). */
export interface Ratio {
  readonly workload: WorkloadName;
  readonly name: string;
  readonly peer: string;
  readonly ours: string;
  readonly value: number;
}

/** A target from issue 4, and whether this run met it. */
export interface TargetResult {
  readonly target: string;
  readonly figure: string;
  readonly status: 'met' | 'not met' | 'not measured';
}

/** Time ratios, peer/ours: how many times faster ours is. Ingest ratios are of points per second, ours/peer. */
const TIME_RATIOS: readonly (readonly [peer: string, ours: string, name: string])[] = [
  ['scrape.official.http', 'scrape.ours.exporter.http', 'official HTTP scrape / ours PrometheusExporter HTTP scrape'],
  ['scrape.official.render', 'scrape.ours.exporter.render', 'official collect+serialize / ours PrometheusExporter render()'],
  ['scrape.official.serializer', 'scrape.ours.exporter.render', 'official serializer alone / ours PrometheusExporter render()'],
  ['scrape.promclient.http', 'scrape.ours.exporter.http', 'prom-client HTTP / ours PrometheusExporter HTTP scrape'],
  ['scrape.promclient.render', 'scrape.ours.exporter.render', 'prom-client metrics() / ours PrometheusExporter render()'],
  ['scrape.official.http', 'scrape.ours.periodic.http', 'official HTTP scrape / ours PeriodicPrometheusReader HTTP scrape'],
  ['scrape.promclient.http', 'scrape.ours.periodic.http', 'prom-client HTTP / ours PeriodicPrometheusReader HTTP scrape'],
  ['scrape.floor.join', 'scrape.ours.periodic.render', 'floor (join lines) / ours periodic render() (1 = at the floor)'],
];

const RATE_RATIOS: readonly (readonly [peer: string, ours: string, name: string])[] = [
  ['ingest.otel.encode', 'ingest.ours.decodeApply', 'ours decode+apply / OTel JS encode (points/s)'],
  ['ingest.otel.encode', 'ingest.ours.decode', 'ours decode alone / OTel JS encode (points/s)'],
];

export function computeRatios(rows: readonly ResultRow[], workloads: readonly WorkloadName[]): Ratio[] {
  const ratios: Ratio[] = [];
  for (const workload of workloads) {
    for (const [peer, ours, name] of TIME_RATIOS) {
      const p = findRow(rows, peer, workload)?.timing?.medianMs;
      const o = findRow(rows, ours, workload)?.timing?.medianMs;
      if (p !== undefined && o !== undefined) ratios.push({ workload, name, peer, ours, value: p / o });
    }
    for (const [peer, ours, name] of RATE_RATIOS) {
      const p = findRow(rows, peer, workload)?.pointsPerSecond?.median;
      const o = findRow(rows, ours, workload)?.pointsPerSecond?.median;
      if (p !== undefined && o !== undefined) ratios.push({ workload, name, peer, ours, value: o / p });
    }
  }
  return ratios;
}

function status(ok: boolean | undefined): TargetResult['status'] {
  return ok === undefined ? 'not measured' : ok ? 'met' : 'not met';
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const rate = (value: number): string => `${(value / 1e6).toFixed(2)} M points/s`;

/** The targets of issue 4, judged on this run's medians (event-loop block: the worst run). */
export function evaluateTargets(rows: readonly ResultRow[]): TargetResult[] {
  const results: TargetResult[] = [];
  const oursHttp = findRow(rows, 'scrape.ours.exporter.http', 'W40k')?.timing?.medianMs;
  const officialHttp = findRow(rows, 'scrape.official.http', 'W40k')?.timing?.medianMs;
  const promHttp = findRow(rows, 'scrape.promclient.http', 'W40k')?.timing?.medianMs;
  const both = (a: number | undefined, b: number | undefined): a is number => a !== undefined && b !== undefined;

  results.push({
    target: 'W40k scrape (PrometheusExporter, collect+render+serve) ≤ 1/10 of the official exporter',
    figure: both(oursHttp, officialHttp) ? `${ms(oursHttp)} vs ${ms(officialHttp!)}: 1/${(officialHttp! / oursHttp).toFixed(1)}` : '',
    status: status(both(oursHttp, officialHttp) ? oursHttp * 10 <= officialHttp! : undefined),
  });
  results.push({
    target: 'W40k scrape (PrometheusExporter) ≤ 1/4 of prom-client',
    figure: both(oursHttp, promHttp) ? `${ms(oursHttp)} vs ${ms(promHttp!)}: 1/${(promHttp! / oursHttp).toFixed(1)}` : '',
    status: status(both(oursHttp, promHttp) ? oursHttp * 4 <= promHttp! : undefined),
  });

  // "In proportion to the series that changed": 1 % of them may cost at most 5 % of all of them.
  const collectAll = findRow(rows, 'scrape.ours.periodic.collect', 'W40k')?.timing?.medianMs;
  const collectSome = findRow(rows, 'scrape.ours.periodic.collect.some', 'W40k')?.timing?.medianMs;
  results.push({
    target: 'W40k periodic collection with 1 % of series changed ≤ 5 % of one with all changed',
    figure: both(collectSome, collectAll) ? `${ms(collectSome)} vs ${ms(collectAll!)}: ${((collectSome / collectAll!) * 100).toFixed(1)} %` : '',
    status: status(both(collectSome, collectAll) ? collectSome <= 0.05 * collectAll! : undefined),
  });
  // "Costs little more than writing its bytes": serving an unchanged snapshot, against joining its finished lines.
  const unchanged = findRow(rows, 'scrape.ours.periodic.render', 'W40k')?.timing?.medianMs;
  const join = findRow(rows, 'scrape.floor.join', 'W40k')?.timing?.medianMs;
  results.push({
    target: 'W40k periodic render() of an unchanged snapshot ≤ joining its lines into one string',
    figure: both(unchanged, join) ? `${ms(unchanged)} vs ${ms(join!)}` : '',
    status: status(both(unchanged, join) ? unchanged <= join! : undefined),
  });

  const apply = findRow(rows, 'ingest.ours.decodeApply', 'W40k')?.pointsPerSecond?.median;
  const encode = findRow(rows, 'ingest.otel.encode', 'W40k')?.pointsPerSecond?.median;
  results.push({
    target: 'W40k in-process ingest (decode + applyAll) ≥ OTel JS protobuf encoding rate',
    figure: both(apply, encode) ? `${rate(apply)} vs ${rate(encode!)}` : '',
    status: status(both(apply, encode) ? apply >= encode! : undefined),
  });

  const http = findRow(rows, 'ingest.ours.http', 'W40k')?.pointsPerSecond?.median;
  results.push({
    target: 'OTLP/HTTP ingest, concurrent clients (W40k bodies) ≥ 400,000 points/s',
    figure: http === undefined ? '' : rate(http),
    status: status(http === undefined ? undefined : http >= 400_000),
  });

  const memory = findRow(rows, 'memory.ours.store.counter', 'W40k')?.bytesPerSeries;
  results.push({
    target: 'sidecar store ≤ 400 bytes per counter series',
    figure: memory === undefined ? '' : `${memory.toFixed(0)} bytes/series`,
    status: status(memory === undefined ? undefined : memory <= 400),
  });

  const sdkBlock = findRow(rows, 'scrape.sdk.collect', 'W400k')?.timing?.eventLoopMaxMs?.max;
  for (const [id, what] of [
    ['scrape.ours.exporter.http', 'PrometheusExporter HTTP scrape (collects from the SDK first)'],
    ['scrape.ours.periodic.http', 'PeriodicPrometheusReader HTTP scrape'],
    ['scrape.ours.sidecar.render', 'Sidecar scrape (streamed render)'],
  ] as const) {
    const block = findRow(rows, id, 'W400k')?.timing?.eventLoopMaxMs?.max;
    const block40 = findRow(rows, id, 'W40k')?.timing?.eventLoopMaxMs?.max;
    const floor = id === 'scrape.ours.exporter.http' && sdkBlock !== undefined ? `; the SDK's collect alone: ${ms(sdkBlock)}` : '';
    results.push({
      target: `W400k ${what} blocks the event loop ≤ 100 ms at a time`,
      figure: block !== undefined ? `${ms(block)} (worst run)${floor}` : `W400k not run (--large); W40k: ${block40 === undefined ? '?' : ms(block40)}`,
      status: status(block === undefined ? undefined : block <= 100),
    });
  }

  // Issue 16: the state snapshot is written while the sidecar goes on taking exports and scrapes.
  const snapshotBlock = findRow(rows, 'state.snapshot.write', 'W400k')?.timing?.eventLoopMaxMs?.max;
  const snapshotBlock40 = findRow(rows, 'state.snapshot.write', 'W40k')?.timing?.eventLoopMaxMs?.max;
  results.push({
    target: 'W400k state snapshot written (issue 16) blocks the event loop ≤ 50 ms at a time',
    figure: snapshotBlock !== undefined ? `${ms(snapshotBlock)} (worst run)` : `W400k not run (--large); W40k: ${snapshotBlock40 === undefined ? '?' : ms(snapshotBlock40)}`,
    status: status(snapshotBlock === undefined ? undefined : snapshotBlock <= 50),
  });
  return results;
}
