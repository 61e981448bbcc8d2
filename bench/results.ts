import type { Timing } from './measure.ts';
import type { WorkloadName } from './workload.ts';

export type Section = 'scrape' | 'ingest' | 'memory' | 'decode' | 'state' | 'remote-write';

/** One measured figure: a subject doing one thing on one workload. */
export interface ResultRow {
  /** Stable key for machines, e.g. `scrape.ours.exporter.http`. */
  readonly id: string;
  readonly section: Section;
  readonly workload: WorkloadName;
  /** What was measured, for people. */
  readonly label: string;
  readonly timing?: Timing;
  /** Body bytes (exposition, or the OTLP request). */
  readonly bytes?: number;
  /** The same body gzipped, as served. */
  readonly gzipBytes?: number;
  /** Exposition lines. */
  readonly lines?: number;
  /** Data points per second (ingest): from the median run, and the slowest and fastest runs. */
  readonly pointsPerSecond?: { readonly median: number; readonly min: number; readonly max: number };
  /** Heap bytes per series (memory). */
  readonly bytesPerSeries?: number;
  readonly note?: string;
}

export function findRow(rows: readonly ResultRow[], id: string, workload: WorkloadName): ResultRow | undefined {
  return rows.find((row) => row.id === id && row.workload === workload);
}

/** Points per second from a timing of one operation handling `points` points. */
export function pointRate(timing: Timing, points: number): { median: number; min: number; max: number } {
  return { median: (points * 1000) / timing.medianMs, min: (points * 1000) / timing.maxMs, max: (points * 1000) / timing.minMs };
}
