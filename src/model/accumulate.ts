import { addExponentialHistograms } from './exponentialMerge.ts';
import type { HistogramData, NumberData, SeriesData } from './family.ts';
import { latestPerBucket, sameBounds } from './latestExemplars.ts';
import { buildNumberData } from './seriesData.ts';

/**
 * Delta → cumulative: the data a series holds after adding a delta point's data to it. Returns
 * `delta` itself when the two cannot be added (another kind, other histogram bounds, another
 * zero threshold): the series then starts over from that point.
 */
export function accumulate(total: SeriesData, delta: SeriesData): SeriesData {
  switch (delta.kind) {
    case 'number':
      return total.kind === 'number' ? addNumbers(total, delta) : delta;
    case 'histogram':
      return total.kind === 'histogram' ? addHistograms(total, delta) : delta;
    case 'exponentialHistogram':
      return total.kind === 'exponentialHistogram' ? addExponentialHistograms(total, delta) : delta;
    case 'summary':
      return delta; // OTLP summaries are cumulative only
  }
}

function addNumbers(total: NumberData, delta: NumberData): NumberData {
  return buildNumberData(total.value + delta.value, delta.exemplar ?? total.exemplar);
}

/** Same bounds: bucket-wise sum; different bounds: `delta` (start over). */
function addHistograms(total: HistogramData, delta: HistogramData): HistogramData {
  if (!sameBounds(total.bounds, delta.bounds) || total.counts.length !== delta.counts.length) return delta;
  const counts = new Array<number>(delta.counts.length);
  for (let i = 0; i < counts.length; i++) counts[i] = total.counts[i]! + delta.counts[i]!;
  return {
    kind: 'histogram',
    bounds: delta.bounds,
    counts,
    count: total.count + delta.count,
    sum: addOptional(total.sum, delta.sum),
    exemplars: latestPerBucket(total.exemplars, delta.exemplars),
  };
}

/** A sum that was left out once (OpenTelemetry omits it when values were negative) stays unknown. */
function addOptional(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}
