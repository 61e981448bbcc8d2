import type { Family } from './family.ts';
import { OVERFLOW_LABEL_TEXT } from './overflowSeries.ts';

/** How many metric series one `job`/`instance` pair holds ('' where the label is absent). */
export interface JobInstanceSeries {
  readonly job: string;
  readonly instance: string;
  readonly series: number;
}

/** One key per `job`/`instance` pair (JSON: label values may hold any character, a separator could collide). */
export function jobInstanceKey(job: string, instance: string): string {
  return JSON.stringify([job, instance]);
}

/**
 * Counts series by their `job` and `instance` labels, leaving out the family named `skipFamily`
 * (`target_info`, which describes a resource rather than holding its data), and the overflow
 * series (`otel_metric_overflow="true"`, which belong to no resource). Walks every series:
 * for a status page, not for the ingest path.
 */
export function countSeriesByJobAndInstance(families: Iterable<Family>, skipFamily: string): Map<string, JobInstanceSeries> {
  // Nested by job, then instance: no key is built per series.
  const byJob = new Map<string, Map<string, number>>();
  for (const family of families) {
    if (family.name === skipFamily) continue;
    for (const series of family.series.values()) {
      if (series.labelText === OVERFLOW_LABEL_TEXT) continue;
      let job = '';
      let instance = '';
      for (const [name, value] of series.labels) {
        if (name === 'job') job = value;
        else if (name === 'instance') instance = value;
      }
      let byInstance = byJob.get(job);
      if (byInstance === undefined) byJob.set(job, (byInstance = new Map()));
      byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
    }
  }
  const counts = new Map<string, JobInstanceSeries>();
  for (const [job, byInstance] of byJob) {
    for (const [instance, series] of byInstance) counts.set(jobInstanceKey(job, instance), { job, instance, series });
  }
  return counts;
}
