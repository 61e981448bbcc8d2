/**
 * The short cardinality explosion in CI (2 clients × 2,000 never-seen series a push, as fast as the
 * sidecar answers, for 30 s; `test/load/cardinalityExplosion.load.ts` is the long one): the built
 * CLI with `--max-series 1000 --metric-expiration 1h` refuses every new series and its memory
 * stays flat. Before the label texts of refused points stopped being kept, RSS grew by about
 * 40 MiB a second here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SERIES, runCardinalityExplosion } from '../load/cardinalityExplosion.ts';

/** Growth allowed between the first and last third of the run after warm-up: GC timing on a busy shared machine. */
const ALLOWED_GROWTH_MIB = 64;

describe('a cardinality explosion at the series limit', () => {
  it('every point names a new series for 30 s: all refused past the limit, RSS and heap flat after warm-up', { timeout: 120_000 }, async () => {
    const report = await runCardinalityExplosion({ clients: 2, pointsPerPush: 2000, durationMs: 30_000, warmupMs: 10_000, sampleIntervalMs: 1000 });
    const { samples, ...figures } = report;
    console.log(`cardinality explosion: ${JSON.stringify(figures)}`);
    assert.equal(report.seriesHeld, MAX_SERIES);
    assert.equal(report.pointsAccepted, MAX_SERIES);
    assert.ok(report.pointsRefused > 100_000, `only ${report.pointsRefused} points refused: not much of an explosion`);
    assert.ok(samples.length >= 10, `${samples.length} memory samples`);
    assert.ok(report.rssMiB.growth <= ALLOWED_GROWTH_MIB, `RSS grew from ${report.rssMiB.firstThird} to ${report.rssMiB.lastThird} MiB (medians of the first and last third after warm-up)`);
    assert.ok(report.heapUsedMiB.growth <= ALLOWED_GROWTH_MIB, `the heap in use grew from ${report.heapUsedMiB.firstThird} to ${report.heapUsedMiB.lastThird} MiB`);
  });
});
