/**
 * Checks of a scraped exposition that must hold at every instant, whatever is being ingested: each
 * histogram series is whole (buckets non-decreasing, `+Inf` equal to `_count`), and each counter
 * never goes backwards between two scrapes unless the test reset it.
 */
import type { ParsedFamily } from '../helpers/parseExposition.ts';

/** A series' identity: its sample name without suffix and its labels but `le`, sorted. */
function seriesKey(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([key]) => key !== 'le')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}${JSON.stringify(pairs)}`;
}

/** Problems with the histograms of one exposition (empty when every histogram series is whole). */
export function findTornHistograms(families: readonly ParsedFamily[]): string[] {
  const problems: string[] = [];
  for (const family of families) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, { buckets: { le: number; value: number }[]; count: number | undefined }>();
    const entry = (key: string) => {
      let found = series.get(key);
      if (found === undefined) series.set(key, (found = { buckets: [], count: undefined }));
      return found;
    };
    for (const sample of family.samples) {
      const key = seriesKey(family.name, sample.labels);
      if (sample.name.endsWith('_bucket')) entry(key).buckets.push({ le: Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le), value: sample.value });
      else if (sample.name.endsWith('_count')) entry(key).count = sample.value;
    }
    for (const [key, { buckets, count }] of series) {
      const sorted = [...buckets].sort((a, b) => a.le - b.le);
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i]!.value < sorted[i - 1]!.value) problems.push(`${key}: bucket le=${sorted[i]!.le} (${sorted[i]!.value}) is below le=${sorted[i - 1]!.le} (${sorted[i - 1]!.value})`);
      }
      const inf = sorted.at(-1);
      if (inf === undefined || inf.le !== Infinity) problems.push(`${key}: no +Inf bucket`);
      else if (count !== inf.value) problems.push(`${key}: +Inf bucket ${inf.value} differs from _count ${String(count)}`);
    }
  }
  return problems;
}

/** Every counter sample's value by series, for comparing successive scrapes. */
export function counterValues(families: readonly ParsedFamily[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const family of families) {
    if (family.type !== 'counter') continue;
    for (const sample of family.samples) values.set(seriesKey(sample.name, sample.labels), sample.value);
  }
  return values;
}

/**
 * Counters that went down from `before` to `after`, except those `mayReset` allows (series the test
 * reset in between); a counter that disappeared is not a decrease.
 */
export function findCountersGoingBack(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, mayReset: (key: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  for (const [key, value] of after) {
    const previous = before.get(key);
    if (previous !== undefined && value < previous && !mayReset(key)) problems.push(`${key}: ${previous} → ${value}`);
  }
  return problems;
}
