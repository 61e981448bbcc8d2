/**
 * The benchmark of issue 4: the bridge against its peers, in one run, on the same data.
 *
 *   npm run bench                     W1k and W40k (a few minutes)
 *   npm run bench -- --large          also W400k (BENCH_LARGE=1 does the same)
 *   npm run bench -- --only=scrape    one section: scrape, ingest, memory, decode, state, remote-write (comma-separated)
 *   npm run bench -- --runs=9         runs per figure (default 7; at least 5 for the medians to mean much)
 *
 * `npm run bench` runs node with `--expose-gc` (memory per series, and gc between runs) and a larger
 * heap (W400k). Prints a table and writes JSON to bench/results/latest.json (or `--out=FILE`).
 * A profile of the W40k scrape: `npm run bench:profile`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../src/version.ts';
import { benchDecode, formatDecodeComparison } from './decode/decodeBench.ts';
import { formatEncodeComparison } from './exposition/protobufEncodeBench.ts';
import { benchIngestHttp, benchIngestInProcess } from './ingestBench.ts';
import { hasGc } from './measure.ts';
import { benchMemory } from './memoryBench.ts';
import { formatReport } from './report.ts';
import type { ResultRow, Section } from './results.ts';
import { runSettingsFor } from './runSettings.ts';
import { benchScrape, warnings } from './scrapeBench.ts';
import { benchSidecarScrape } from './sidecarScrapeBench.ts';
import { benchState } from './stateBench.ts';
import { benchRemoteWrite, formatRemoteWriteComparison } from './remoteWrite/remoteWriteBench.ts';
import { computeRatios, evaluateTargets } from './targets.ts';
import { buildAttributeSets, collectResourceMetrics, WORKLOADS, type WorkloadName } from './workload.ts';

const SECTIONS: readonly Section[] = ['scrape', 'ingest', 'memory', 'decode', 'state', 'remote-write'];

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: process.env.BENCH_LARGE === '1' },
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '7' },
    only: { type: 'string', default: SECTIONS.join(',') },
    clients: { type: 'string', default: '4' },
    out: { type: 'string', default: new URL('./results/latest.json', import.meta.url).pathname },
  },
});

const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a whole number of at least 1 (5 or more for meaningful medians); got ${values.runs}.`);
const clients = Number(values.clients);
if (!Number.isInteger(clients) || clients < 1) throw new RangeError(`--clients must be a whole number of at least 1; got ${values.clients}.`);
const only = values.only.split(',').map((s) => s.trim());
for (const section of only) {
  if (!SECTIONS.includes(section as Section)) throw new RangeError(`--only takes ${SECTIONS.join(', ')} (comma-separated); got ${JSON.stringify(section)}.`);
}
const workloads: WorkloadName[] = values.large ? ['W1k', 'W40k', 'W400k'] : ['W1k', 'W40k'];

if (!hasGc()) console.warn('node runs without --expose-gc: no memory figures, and no gc between runs (use `npm run bench`).');
if (runs < 5) console.warn(`only ${runs} runs per figure: medians of fewer than 5 runs are not worth much.`);

const started = performance.now();
const rows: ResultRow[] = [];
for (const name of workloads) {
  const workload = WORKLOADS[name];
  const settings = runSettingsFor(name, runs);
  const attributeSets = buildAttributeSets(workload);
  console.error(`[bench] ${name}: ${workload.series} series (${(performance.now() - started) / 1000 | 0} s)`);
  if (only.includes('scrape')) rows.push(...(await benchScrape(workload, attributeSets, settings.scrape)));
  const resourceMetrics = await collectResourceMetrics(attributeSets);
  if (only.includes('scrape')) rows.push(...(await benchSidecarScrape(workload, resourceMetrics, settings.scrape)));
  if (only.includes('decode')) rows.push(...(await benchDecode(workload, resourceMetrics, settings.ingest)));
  if (only.includes('state')) rows.push(...(await benchState(workload, resourceMetrics, settings.scrape)));
  if (only.includes('remote-write')) rows.push(...(await benchRemoteWrite(workload, resourceMetrics, settings.scrape)));
  if (only.includes('ingest') || only.includes('memory')) {
    if (only.includes('ingest')) {
      rows.push(...(await benchIngestInProcess(workload, resourceMetrics, settings.ingest)));
      rows.push(...(await benchIngestHttp(workload, resourceMetrics, settings.http, clients)));
      rows.push(...(await benchIngestHttp(workload, resourceMetrics, settings.http, clients, true)));
    }
    if (only.includes('memory') && name === 'W40k') rows.push(...(await benchMemory(workload, resourceMetrics)));
  }
}
const durationS = (performance.now() - started) / 1000;

const ratios = computeRatios(rows, workloads);
const targets = evaluateTargets(rows);
const machine = { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? '', memoryGiB: Math.round(totalmem() / 2 ** 30) };
console.log(`otel-prom-bridge ${VERSION} benchmark, ${new Date().toISOString()}, node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel})`);
console.log(`${runs} runs per figure; workloads: ${workloads.map((w) => `${w} (${WORKLOADS[w].series} series)`).join(', ')}`);
console.log(formatReport(rows, workloads, ratios, targets));
if (only.includes('scrape')) console.log(formatEncodeComparison(rows, workloads));
if (only.includes('decode')) console.log(formatDecodeComparison(rows, workloads));
if (only.includes('remote-write')) console.log(formatRemoteWriteComparison(rows, workloads));
if (warnings.length > 0) console.log(`\nThe bridge warned ${warnings.length} times, first: ${warnings[0]}`);
console.log(`\nRun time: ${durationS.toFixed(0)} s`);

mkdirSync(dirname(values.out), { recursive: true });
const json = { version: VERSION, date: new Date().toISOString(), machine, runs, workloads: workloads.map((w) => WORKLOADS[w]), durationS, rows, ratios, targets, warnings };
writeFileSync(values.out, `${JSON.stringify(json, null, 2)}\n`);
console.log(`Wrote ${values.out}`);
