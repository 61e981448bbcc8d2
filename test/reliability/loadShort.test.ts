/**
 * The short load run in CI (6 clients × 200 series every 100 ms for 5 s; `npm run test:load` is the
 * full one): nothing acknowledged is lost, every series exact, no scrape torn. Also checks that the
 * load clients' two encodings carry the same data.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeExportMetricsServiceRequestJson } from '../../src/otlp/decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { assertNothingLost } from '../load/loadAssertions.ts';
import { JsonRequestBuilder, PatchableRequest } from '../load/patchableRequest.ts';
import { runLoad, SHORT_LOAD } from '../load/runLoad.ts';

describe('load: the short run', () => {
  it('the patched protobuf request and the JSON one decode to the same data', () => {
    const spec = { service: 'same', temporality: 'delta' as const, counterName: 'c', histogramName: 'h', bounds: [1, 10], counters: 3, histograms: 2 };
    const push = { startNs: 1_700_000_000_000_000_000n, timeNs: 1_700_000_001_000_000_000n, values: [1, 2.5, 3], buckets: [[1, 0, 2], [0, 4, 0]], sums: [7, 8.5] };
    const protobuf = new PatchableRequest(spec);
    protobuf.patch({ ...push, values: [9, 9, 9] }); // patched twice: the second push wins
    assert.deepEqual(decodeExportMetricsServiceRequest(protobuf.patch(push)), decodeExportMetricsServiceRequestJson(new JsonRequestBuilder(spec).build(push)));
  });

  it(`${SHORT_LOAD.clients} clients × ${SHORT_LOAD.seriesPerClient} series every ${SHORT_LOAD.intervalMs} ms for ${SHORT_LOAD.durationMs / 1000} s: nothing lost`, { timeout: 120_000 }, async () => {
    const report = await runLoad(SHORT_LOAD);
    console.log(`short load: ${JSON.stringify(report)}`);
    assertNothingLost(report);
  });

  it(`the same with remote write on: every acknowledged value reaches the receiver, none out of order`, { timeout: 120_000 }, async () => {
    const report = await runLoad({ ...SHORT_LOAD, remoteWrite: true });
    console.log(`short load with remote write: ${JSON.stringify({ ...report, parameters: undefined })}`);
    assertNothingLost(report);
    assert.ok(report.remoteWrite);
    assert.equal(report.exit.code, 0);
    assert.equal(report.remoteWrite.outOfOrder, 0);
    assert.ok(report.remoteWrite.seriesChecked > 0);
    assert.deepEqual({ mismatched: report.remoteWrite.mismatchedSeries, first: report.remoteWrite.mismatches }, { mismatched: 0, first: [] });
  });
});
