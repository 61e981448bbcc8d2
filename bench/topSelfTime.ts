/**
 * The functions with the most self time in a V8 CPU profile (`node --cpu-prof`, or the ones
 * `profileScrape.ts` writes):
 *
 *   node bench/topSelfTime.ts <file.cpuprofile | directory (every profile in it)> [count=25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addSelfTimes, formatSelfTimes, type CpuProfile } from './cpuProfile.ts';

const [target, countArg = '25'] = process.argv.slice(2);
if (target === undefined) throw new Error('usage: node bench/topSelfTime.ts <file.cpuprofile | directory> [count]');
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(target, name))
  : [target];
if (files.length === 0) throw new Error(`no .cpuprofile in ${target}`);

const selfMicros = new Map<string, number>();
let total = 0;
for (const file of files) total += addSelfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, selfMicros);
console.log(`${files.length} profile(s) in ${target}: ${(total / 1000).toFixed(0)} ms sampled; top self time`);
console.log(formatSelfTimes(selfMicros, total, Number(countArg)));
