/**
 * What a load run must show, for the full run and the short one alike: no export failed other than
 * by retryable overload, not one series differs from what was acknowledged, no scrape failed, no
 * torn histogram or counter going back, and a clean exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import type { LoadReport } from './runLoad.ts';

export function assertNothingLost(report: LoadReport): void {
  assert.deepEqual(report.failures, [], 'exports refused other than for overload');
  assert.ok(report.exportsAccepted > 0, 'some exports were accepted');
  assert.ok(report.seriesChecked > 0, 'series were checked');
  assert.equal(report.mismatchedSeries, 0, `series differing from what was acknowledged: ${report.mismatches.join('; ')}`);
  assert.deepEqual(report.consistencyProblems, [], 'torn histograms or counters going back');
  assert.equal(report.scrapesFailed, 0, 'scrapes that failed');
  assert.deepEqual(report.exit, { code: 0, signal: null }, 'the sidecar exits 0 on SIGTERM');
  if (report.remoteWrite !== undefined) {
    assert.ok(report.remoteWrite.seriesChecked > 0, 'series were checked at the remote-write receiver');
    assert.equal(report.remoteWrite.outOfOrder, 0, 'samples older than one the receiver had');
    assert.equal(report.remoteWrite.mismatchedSeries, 0, `series whose newest sample at the receiver differs from what was acknowledged: ${report.remoteWrite.mismatches.join('; ')}`);
  }
}
