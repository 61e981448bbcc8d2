import type { MeasureOptions } from './measure.ts';
import type { WorkloadName } from './workload.ts';

/** How hard each workload is measured: small ones repeat within a run, large ones do one operation a run. */
export interface RunSettings {
  /** Scrapes and renders. */
  readonly scrape: Omit<MeasureOptions, 'before' | 'trackEventLoop'>;
  /** In-process encode, decode and apply. */
  readonly ingest: Omit<MeasureOptions, 'before' | 'trackEventLoop'>;
  /** OTLP/HTTP ingest: requests and time per run, both bounds. */
  readonly http: { readonly runs: number; readonly maxRequestsPerRun: number; readonly maxRunMs: number };
}

export function runSettingsFor(workload: WorkloadName, runs: number): RunSettings {
  switch (workload) {
    case 'W1k':
      return {
        scrape: { runs, minRunMs: 150, maxOperationsPerRun: 300, warmup: 5 },
        ingest: { runs, minRunMs: 150, maxOperationsPerRun: 2000, warmup: 20 },
        http: { runs, maxRequestsPerRun: 2000, maxRunMs: 1000 },
      };
    case 'W40k':
      return {
        scrape: { runs, minRunMs: 0, maxOperationsPerRun: 1, warmup: 1 },
        ingest: { runs, minRunMs: 200, maxOperationsPerRun: 50, warmup: 2 },
        http: { runs, maxRequestsPerRun: 60, maxRunMs: 3000 },
      };
    case 'W400k':
      return {
        scrape: { runs, minRunMs: 0, maxOperationsPerRun: 1, warmup: 1 },
        ingest: { runs, minRunMs: 0, maxOperationsPerRun: 1, warmup: 1 },
        http: { runs: 0, maxRequestsPerRun: 0, maxRunMs: 0 },
      };
  }
}
