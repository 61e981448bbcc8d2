/**
 * A CPU profile of the W40k in-process sidecar ingest: decode + `applyAll` of one request holding
 * the whole workload into a store that holds its series already (the steady state).
 *
 *   node --expose-gc bench/profileIngest.ts [--applies=20] [--out=bench/results/profile]
 *
 * Writes one `.cpuprofile` and prints the top self time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { addSelfTimes, formatSelfTimes, type CpuProfile } from './cpuProfile.ts';
import { encodeProtobuf } from './ingestBench.ts';
import { createSidecarStore } from './sidecarStore.ts';
import { buildAttributeSets, collectResourceMetrics, countPoints, WORKLOADS } from './workload.ts';

const { values } = parseArgs({
  options: {
    applies: { type: 'string', default: '20' },
    out: { type: 'string', default: new URL('./results/profile', import.meta.url).pathname },
  },
});
const applies = Number(values.applies);
if (!Number.isInteger(applies) || applies < 1) throw new RangeError(`--applies must be a whole number of at least 1; got ${values.applies}.`);

const workload = WORKLOADS.W40k;
const resourceMetrics = await collectResourceMetrics(buildAttributeSets(workload));
const points = countPoints(resourceMetrics);
const bytes = encodeProtobuf(resourceMetrics);
const store = createSidecarStore(workload.series * 2);
for (let i = 0; i < 3; i++) store.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now()); // warm-up, unprofiled

mkdirSync(values.out, { recursive: true });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const start = performance.now();
for (let i = 0; i < applies; i++) store.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now());
const elapsed = performance.now() - start;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
writeFileSync(join(values.out, 'ingest-W40k.cpuprofile'), JSON.stringify(profile));

const selfMicros = new Map<string, number>();
const sampled = addSelfTimes(profile as CpuProfile, selfMicros);
console.log(`W40k decode + applyAll, ${applies} requests: ${(elapsed / applies).toFixed(1)} ms each, ${((points * applies * 1000) / elapsed / 1e6).toFixed(2)} M points/s (profiled)`);
console.log(formatSelfTimes(selfMicros, sampled, 25));
