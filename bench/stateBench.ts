import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import type { SeriesStore } from '../src/model/seriesStore.ts';
import { StateKeeper } from '../src/outputs/state/StateKeeper.ts';
import { encodeProtobuf } from './ingestBench.ts';
import { measure, type MeasureOptions } from './measure.ts';
import type { ResultRow } from './results.ts';
import { createSidecarStore } from './sidecarStore.ts';
import type { Workload } from './workload.ts';

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

/**
 * State across restarts: the sidecar's store holding the workload (pushed once over OTLP) written
 * as a snapshot to a file (encoded in slices, streamed, synced, renamed), and
 * restored from it into a new store (read, checksummed, decoded in slices, taken in); how long each
 * takes and the longest the event loop is held meanwhile, and the file's size.
 */
export async function benchState(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const directory = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-bench-state-'));
  try {
    const store = createSidecarStore(workload.series * 2);
    const request = decodeExportMetricsServiceRequest(encodeProtobuf(resourceMetrics));
    store.applyAll(request, Date.now());
    const keeper = keeperOf(store, directory);
    keeper.open();
    const rows: ResultRow[] = [];
    const write = await measure(() => keeper.snapshot(), { ...options, trackEventLoop: true });
    const bytes = statSync(join(directory, 'store.snapshot')).size;
    rows.push({ id: 'state.snapshot.write', section: 'state', workload: workload.name, label: 'ours state snapshot of the sidecar store written to a file (encode in slices, write, fsync, rename)', timing: write, bytes });
    await keeper.close();
    const restore = await measure(
      async () => {
        const fresh = createSidecarStore(workload.series * 2);
        const restoring = keeperOf(fresh, directory);
        restoring.open();
        const report = await restoring.restore();
        if (report.outcome !== 'restored' || report.series < workload.series) throw new Error(`restored ${report.series} series of ${workload.series} and target_info (${report.outcome})`);
        restoring.release();
      },
      { ...options, trackEventLoop: true },
    );
    rows.push({ id: 'state.restore', section: 'state', workload: workload.name, label: 'ours state restored from the file into a new store (read, checksum, decode in slices, take in)', timing: restore, bytes });
    return rows;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function keeperOf(store: SeriesStore, directory: string): StateKeeper {
  return new StateKeeper({ directory, intervalMs: 3_600_000, store, translation: 'bench', clock: Date.now });
}
