/**
 * Process and Node.js runtime metrics with the names of the OpenTelemetry semantic conventions
 * (process, V8 JS and Node.js runtime conventions), as observable instruments read at each export:
 *
 * - `process.cpu.time` (counter, s, `cpu.mode` user/system)
 * - `process.memory.usage` (up-down counter, By: resident set size)
 * - `v8js.memory.heap.used`, `v8js.memory.heap.limit` (up-down counters, By, per `v8js.heap.space.name`)
 * - `nodejs.eventloop.delay.{min,max,mean,stddev,p50,p90,p99}` (gauges, s)
 * - `nodejs.eventloop.utilization` (gauge, 1)
 * - `v8js.gc.duration` (histogram, s, `v8js.gc.type` major/minor/incremental/weakcb), from V8's GC events
 */
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Meter, ObservableResult } from '@opentelemetry/api';

const NS_PER_S = 1e9;

/** Starts measuring; returns the function that stops it. */
export function registerRuntimeMetrics(meter: Meter): () => void {
  const cpuTime = meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'Total CPU seconds broken down by different CPU modes.' });
  cpuTime.addCallback((result) => {
    const usage = process.cpuUsage();
    result.observe(usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(usage.system / 1e6, { 'cpu.mode': 'system' });
  });

  const memory = meter.createObservableUpDownCounter('process.memory.usage', { unit: 'By', description: 'The amount of physical memory in use.' });
  memory.addCallback((result) => result.observe(process.memoryUsage.rss()));

  const heapUsed = meter.createObservableUpDownCounter('v8js.memory.heap.used', { unit: 'By', description: 'Heap Memory size allocated.' });
  const heapLimit = meter.createObservableUpDownCounter('v8js.memory.heap.limit', { unit: 'By', description: 'Total heap memory size pre-allocated.' });
  meter.addBatchObservableCallback(
    (result) => {
      for (const space of getHeapSpaceStatistics()) {
        const attributes = { 'v8js.heap.space.name': space.space_name };
        result.observe(heapUsed, space.space_used_size, attributes);
        result.observe(heapLimit, space.space_size, attributes);
      }
    },
    [heapUsed, heapLimit],
  );

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const delayGauges = {
    min: (): number => delay.min,
    max: (): number => delay.max,
    mean: (): number => delay.mean,
    stddev: (): number => delay.stddev,
    p50: (): number => delay.percentile(50),
    p90: (): number => delay.percentile(90),
    p99: (): number => delay.percentile(99),
  } as const;
  const gauges = Object.entries(delayGauges).map(([name, read]) => ({
    read,
    gauge: meter.createObservableGauge(`nodejs.eventloop.delay.${name}`, { unit: 's', description: `Event loop ${name} delay.` }),
  }));
  meter.addBatchObservableCallback(
    (result) => {
      // Each export reports the delays since the previous one.
      if (delay.count > 0) for (const { read, gauge } of gauges) result.observe(gauge, read() / NS_PER_S);
      delay.reset();
    },
    gauges.map(({ gauge }) => gauge),
  );

  let lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  const utilization = meter.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Event loop utilization.' });
  const observeUtilization = (result: ObservableResult): void => {
    const now = performance.eventLoopUtilization();
    result.observe(performance.eventLoopUtilization(now, lastUtilization).utilization);
    lastUtilization = now;
  };
  utilization.addCallback(observeUtilization);

  // The semantic conventions' buckets for GC pauses.
  const gcDuration = meter.createHistogram('v8js.gc.duration', {
    unit: 's',
    description: 'Garbage collection duration.',
    advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] },
  });
  const gcTypes: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      gcDuration.record(entry.duration / 1000, { 'v8js.gc.type': (kind !== undefined ? gcTypes[kind] : undefined) ?? 'unknown' });
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  return () => {
    gcObserver.disconnect();
    delay.disable();
    utilization.removeCallback(observeUtilization);
  };
}
