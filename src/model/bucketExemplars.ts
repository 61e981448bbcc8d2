import type { Exemplar } from '../otelData/otelData.ts';

/** Each exemplar goes to the bucket its value falls in (`value <= le`); the latest one per bucket wins. */
export function assignExemplarsToBuckets(exemplars: readonly Exemplar[], bounds: readonly number[]): (Exemplar | undefined)[] {
  const perBucket = new Array<Exemplar | undefined>(bounds.length + 1).fill(undefined);
  for (const exemplar of exemplars) perBucket[bucketOf(exemplar.value, bounds)] = exemplar;
  return perBucket;
}

/** The index of the first bucket whose upper bound is at least `value`; bounds.length for +Inf. */
function bucketOf(value: number, bounds: readonly number[]): number {
  for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) return i;
  return bounds.length;
}
