/**
 * `npm run test:load` (with the full load): the cardinality explosion for 90 s (the CI run is 30 s),
 * printing the memory samples; `EXPLOSION_DURATION_S` changes the duration. The sidecar's RSS and
 * heap must stay flat after warm-up while every new series is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SERIES, runCardinalityExplosion } from './cardinalityExplosion.ts';

const durationS = Number(process.env.EXPLOSION_DURATION_S ?? '90');
if (!(durationS >= 20 && durationS <= 3600)) throw new RangeError(`EXPLOSION_DURATION_S must be between 20 and 3600 seconds; got ${process.env.EXPLOSION_DURATION_S}.`);

describe('load: a cardinality explosion at the series limit', () => {
  it(`every point names a new series for ${durationS} s: RSS and heap flat after warm-up`, { timeout: durationS * 1000 + 120_000 }, async () => {
    const report = await runCardinalityExplosion({ clients: 2, pointsPerPush: 2000, durationMs: durationS * 1000, warmupMs: 15_000, sampleIntervalMs: 1000 }, (line) => console.log(line));
    const { samples, ...figures } = report;
    console.log(JSON.stringify(figures, null, 2));
    console.log(`samples (s: RSS / heap used MiB): ${samples.map((s) => `${s.atS}: ${Math.round(s.rssMiB)} / ${Math.round(s.heapUsedMiB)}`).join(', ')}`);
    assert.equal(report.seriesHeld, MAX_SERIES);
    assert.ok(report.rssMiB.growth <= 64, `RSS grew from ${report.rssMiB.firstThird} to ${report.rssMiB.lastThird} MiB`);
    assert.ok(report.heapUsedMiB.growth <= 64, `the heap in use grew from ${report.heapUsedMiB.firstThird} to ${report.heapUsedMiB.lastThird} MiB`);
  });
});
