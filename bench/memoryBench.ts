import { AggregationTemporality, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { encodeProtobuf } from './ingestBench.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectGarbage, hasGc } from './measure.ts';
import type { ResultRow } from './results.ts';
import { createSidecarStore } from './sidecarStore.ts';
import type { Workload } from './workload.ts';

export const COUNTER_NAME = 'http.server.requests';

/** The collection with only the counter's series. */
export function onlyCounters(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({ ...scope, metrics: scope.metrics.filter((m) => m.descriptor.name === COUNTER_NAME) })),
  };
}

/**
 * The counters as delta points of the window that follows `window` windows of one second each
 * after their own: what an SDK exporting with delta temporality sends on each export.
 */
function asDeltaWindow(resourceMetrics: ResourceMetrics, window: number): ResourceMetrics {
  const shift = (time: [number, number], seconds: number): [number, number] => [time[0] + seconds, time[1]];
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map((metric) => ({
        ...metric,
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPoints: metric.dataPoints.map((point) => ({ ...point, startTime: shift(point.endTime, window), endTime: shift(point.endTime, window + 1) })),
      })),
    })) as ResourceMetrics['scopeMetrics'],
  };
}

/**
 * The heap in use once garbage is collected and swept: V8 sweeps after `gc()` returns (lazily and
 * on other threads), and until then the dead objects still count as used.
 */
async function settledHeapUsed(): Promise<number> {
  collectGarbage();
  await sleep(200);
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap held by the sidecar's store per series: the settled heap with the store holding the
 * series, less the heap before, divided by the series (the request bytes are held through both).
 */
async function storeBytesPerSeries(requests: readonly Uint8Array[], maxSeries: number): Promise<{ bytesPerSeries: number; series: number }> {
  const before = await settledHeapUsed();
  const store = createSidecarStore(maxSeries);
  for (const bytes of requests) store.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now());
  const after = await settledHeapUsed();
  const series = store.seriesCount();
  return { bytesPerSeries: (after - before) / series, series };
}

export async function benchMemory(workload: Workload, resourceMetrics: ResourceMetrics): Promise<ResultRow[]> {
  if (!hasGc()) {
    const note = 'not measured: run node with --expose-gc';
    return [{ id: 'memory.ours.store.counter', section: 'memory', workload: workload.name, label: 'sidecar store heap per counter series', note }];
  }
  const counters = encodeProtobuf(onlyCounters(resourceMetrics));
  const mixed = encodeProtobuf(resourceMetrics);
  // Delta windows: each series remembers the windows added to it (retries are told by them).
  const deltaCounters = Array.from({ length: 4 }, (_, window) => encodeProtobuf(asDeltaWindow(onlyCounters(resourceMetrics), window)));
  // Warm-up, so that code compiled on first use is not counted as the store's.
  await storeBytesPerSeries([counters], workload.series);
  await storeBytesPerSeries(deltaCounters, workload.series);
  const counter = await storeBytesPerSeries([counters], workload.series);
  const delta = await storeBytesPerSeries(deltaCounters, workload.series);
  const all = await storeBytesPerSeries([mixed], workload.series * 2);
  return [
    {
      id: 'memory.ours.store.counter',
      section: 'memory',
      workload: workload.name,
      label: `sidecar store heap per counter series (${counter.series} counter series)`,
      bytesPerSeries: counter.bytesPerSeries,
    },
    {
      id: 'memory.ours.store.deltaCounter',
      section: 'memory',
      workload: workload.name,
      label: `sidecar store heap per delta counter series, after ${deltaCounters.length} windows (${delta.series} series)`,
      bytesPerSeries: delta.bytesPerSeries,
    },
    {
      id: 'memory.ours.store.mixed',
      section: 'memory',
      workload: workload.name,
      label: `sidecar store heap per series, the whole mix (${all.series} series, a quarter 11-bucket histograms)`,
      bytesPerSeries: all.bytesPerSeries,
    },
  ];
}
