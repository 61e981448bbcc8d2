import type { Exemplar } from './otelData.ts';

/** Each exemplar goes to the bucket its value falls in (`value <= le`); the latest one per bucket wins. */
export function assignExemplarsToBuckets(exemplars: readonly Exemplar[], bounds: readonly number[]): (Exemplar | undefined)[] {
  const perBucket = new Array<Exemplar | undefined>(bounds.length + 1).fill(undefined);
  for (const exemplar of exemplars) {
    let bucket = bounds.findIndex((bound) => exemplar.value <= bound);
    if (bucket < 0) bucket = bounds.length;
    perBucket[bucket] = exemplar;
  }
  return perBucket;
}
