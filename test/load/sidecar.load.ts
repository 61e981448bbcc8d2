/**
 * `npm run test:load`: the load (20 clients × 1,000 series every 100 ms for 60 s, scrapes
 * every second) against the CLI sidecar; `LOAD_CLIENTS`, `LOAD_SERIES`, `LOAD_INTERVAL_MS`,
 * `LOAD_DURATION_S`, `LOAD_SCRAPE_INTERVAL_MS` change it, `LOAD_REPORT=<file>` writes the report
 * as JSON. Nothing acknowledged may be lost, and the sidecar's RSS must stay flat after warm-up.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertNothingLost } from './loadAssertions.ts';
import { FULL_LOAD, parametersFromEnv, runLoad } from './runLoad.ts';

const parameters = parametersFromEnv(FULL_LOAD);

describe('load: the sidecar under the full load', () => {
  it(`${parameters.clients} clients × ${parameters.seriesPerClient} series every ${parameters.intervalMs} ms for ${parameters.durationMs / 1000} s: nothing lost, RSS flat`, { timeout: parameters.durationMs + 300_000 }, async () => {
    const report = await runLoad(parameters, (line) => console.log(line));
    console.log(JSON.stringify(report, null, 2));
    if (process.env.LOAD_REPORT !== undefined && process.env.LOAD_REPORT !== '') writeFileSync(process.env.LOAD_REPORT, `${JSON.stringify({ date: new Date().toISOString(), ...report }, null, 2)}\n`);
    assertNothingLost(report);
    // Flat after warm-up: allow half again over the warm-up level, plus 64 MiB of GC slack.
    assert.ok(report.rssMiB.end <= report.rssMiB.endOfWarmup * 1.5 + 64, `RSS grew from ${report.rssMiB.endOfWarmup} MiB after warm-up to ${report.rssMiB.end} MiB`);
  });
});
