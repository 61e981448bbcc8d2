/**
 * A CPU profile of the W40k scrape through the drop-in PrometheusExporter (collect + render, values
 * changed before each), and only of the scrape: V8's profiler (what `node --cpu-prof` uses) runs
 * while `render()` does, not while the values are recorded in between.
 *
 *   node --expose-gc bench/profileScrape.ts [--scrapes=8] [--periodic] [--out=bench/results/profile]
 *
 * (`npm run bench:profile`.) Writes one `.cpuprofile` per scrape (open them in Chrome DevTools or
 * speedscope) and prints the top self time over all of them. `--periodic`: the
 * PeriodicPrometheusReader's render of an unchanged snapshot instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PeriodicPrometheusReader, PrometheusExporter } from '../src/index.ts';
import { addSelfTimes, formatSelfTimes, type CpuProfile } from './cpuProfile.ts';
import { collectGarbage } from './measure.ts';
import { buildAttributeSets, createSdkSubject, WORKLOADS } from './workload.ts';

const { values } = parseArgs({
  options: {
    scrapes: { type: 'string', default: '8' },
    periodic: { type: 'boolean', default: false },
    out: { type: 'string', default: new URL('./results/profile', import.meta.url).pathname },
  },
});
const scrapes = Number(values.scrapes);
if (!Number.isInteger(scrapes) || scrapes < 1 || scrapes > 100) throw new RangeError(`--scrapes must be a whole number from 1 to 100; got ${values.scrapes}.`);
const what = values.periodic ? 'periodic' : 'exporter';

const logger = { warn: () => undefined, debug: () => undefined };
const reader = values.periodic
  ? new PeriodicPrometheusReader({ preventServerStart: true, logger, collectIntervalMillis: 3_600_000 })
  : new PrometheusExporter({ preventServerStart: true, logger });
const { provider, record } = createSdkSubject(reader, buildAttributeSets(WORKLOADS.W40k));
if (reader instanceof PeriodicPrometheusReader) await reader.collectNow();
await reader.render(); // warm-up, unprofiled

mkdirSync(values.out, { recursive: true });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

const selfMicros = new Map<string, number>();
let sampled = 0;
const times: number[] = [];
for (let round = 1; round <= scrapes; round++) {
  if (!values.periodic) record(round);
  collectGarbage();
  await session.post('Profiler.start');
  const start = performance.now();
  await reader.render();
  times.push(performance.now() - start);
  const { profile } = await session.post('Profiler.stop');
  sampled += addSelfTimes(profile as CpuProfile, selfMicros);
  writeFileSync(join(values.out, `scrape-W40k-${what}-${round}.cpuprofile`), JSON.stringify(profile));
}
session.disconnect();
await provider.shutdown();

times.sort((a, b) => a - b);
console.log(`${scrapes} W40k ${values.periodic ? 'periodic renders' : 'scrapes (collect + render)'}: median ${times[Math.floor(scrapes / 2)]!.toFixed(1)} ms`);
console.log(`profiles in ${values.out}; top self time over ${(sampled / 1000).toFixed(0)} ms sampled:`);
console.log(formatSelfTimes(selfMicros, sampled, 25));
