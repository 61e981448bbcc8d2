import type { ExponentialHistogramData, HistogramData, NumberData, SeriesData } from './family.ts';
import type { Exemplar } from '../otelData/otelData.ts';
import { buildNumberData } from './seriesData.ts';

/**
 * Exemplars an exponential histogram keeps. The text formats give each one to the classic bucket
 * it falls in, the latest winning, so a short history covers the buckets and stays bounded.
 */
export const MAX_EXPONENTIAL_EXEMPLARS = 16;

/**
 * `next` with the exemplars it lacks taken from `previous` (the same series' earlier data): the
 * latest exemplar per series for numbers, per bucket for histograms with the same bounds. Returns
 * `next` itself when there is nothing to keep.
 */
export function keepLatestExemplars(previous: SeriesData, next: SeriesData): SeriesData {
  if (next.kind === 'number' && previous.kind === 'number') return keepNumberExemplar(previous, next);
  if (next.kind === 'histogram' && previous.kind === 'histogram' && sameBounds(previous.bounds, next.bounds)) {
    const exemplars = latestPerBucket(previous.exemplars, next.exemplars);
    return exemplars === next.exemplars ? next : { ...next, exemplars };
  }
  if (next.kind === 'exponentialHistogram' && previous.kind === 'exponentialHistogram') {
    const exemplars = latestExponentialExemplars(previous.exemplars, next.exemplars);
    return exemplars === next.exemplars ? next : { ...next, exemplars };
  }
  return next;
}

function keepNumberExemplar(previous: NumberData, next: NumberData): NumberData {
  return next.exemplar !== undefined || previous.exemplar === undefined ? next : buildNumberData(next.value, previous.exemplar);
}

/** Per bucket, the newer exemplar if there is one, else the older (both aligned with the same bounds). */
export function latestPerBucket(
  older: HistogramData['exemplars'],
  newer: HistogramData['exemplars'],
): HistogramData['exemplars'] {
  if (older === undefined) return newer;
  if (newer === undefined) return older;
  const merged = new Array<Exemplar | undefined>(newer.length);
  for (let i = 0; i < newer.length; i++) merged[i] = newer[i] ?? older[i];
  return merged;
}

/** The older exemplars followed by the newer ones, the newest `MAX_EXPONENTIAL_EXEMPLARS` kept. */
export function latestExponentialExemplars(
  older: ExponentialHistogramData['exemplars'],
  newer: ExponentialHistogramData['exemplars'],
): ExponentialHistogramData['exemplars'] {
  if (older === undefined || older.length === 0) return newer;
  if (newer === undefined || newer.length === 0) return older;
  const all = older.concat(newer);
  return all.length > MAX_EXPONENTIAL_EXEMPLARS ? all.slice(all.length - MAX_EXPONENTIAL_EXEMPLARS) : all;
}

export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
