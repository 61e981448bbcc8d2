import { assignExemplarsToBuckets } from './bucketExemplars.ts';
import type { HistogramData, NumberData, SeriesData } from './family.ts';
import type { Exemplar, ExponentialHistogramPoint, HistogramPoint, NumberPoint, OtelMetric, SummaryPoint } from '../otelData/otelData.ts';

type AnyPoint = OtelMetric['points'][number];

const NO_BOUNDS: readonly number[] = [];

/** What a series holds for one point of this metric: the latest exemplar, per bucket for histograms. */
export function buildSeriesData(metric: OtelMetric, point: AnyPoint): SeriesData {
  switch (metric.kind) {
    case 'sum':
    case 'gauge': {
      const p = point as NumberPoint;
      return buildNumberData(p.value, p.exemplars?.at(-1));
    }
    case 'histogram':
      return buildHistogramData(point as HistogramPoint);
    case 'exponentialHistogram': {
      const p = point as ExponentialHistogramPoint;
      return {
        kind: 'exponentialHistogram',
        scale: p.scale,
        zeroCount: p.zeroCount,
        zeroThreshold: p.zeroThreshold,
        positive: p.positive,
        negative: p.negative,
        count: p.count,
        sum: p.sum,
        exemplars: p.exemplars?.length ? p.exemplars : undefined,
      };
    }
    case 'summary': {
      const p = point as SummaryPoint;
      return { kind: 'summary', quantiles: p.quantiles, count: p.count, sum: p.sum };
    }
  }
}

/**
 * A number without an exemplar, as most series hold one: its `kind` comes from the prototype, so
 * the object holds the value alone (32 bytes instead of 48 with `kind` and an empty `exemplar`, in
 * each of millions). Compare such data by their fields, not by deep equality with a literal.
 */
class PlainNumberData implements NumberData {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  get kind(): 'number' {
    return 'number';
  }
}

/** A number with its exemplar, if it has one. */
export function buildNumberData(value: number, exemplar: Exemplar | undefined): NumberData {
  return exemplar === undefined ? new PlainNumberData(value) : { kind: 'number', value, exemplar };
}

/** OTLP allows a histogram without buckets (count and sum only): it is one +Inf bucket. */
function buildHistogramData(p: HistogramPoint): HistogramData {
  const bounds = p.counts.length === 0 ? NO_BOUNDS : p.bounds;
  const counts = p.counts.length === 0 ? [p.count] : p.counts;
  const exemplars = p.exemplars?.length ? assignExemplarsToBuckets(p.exemplars, bounds) : undefined;
  return { kind: 'histogram', bounds, counts, count: p.count, sum: p.sum, exemplars };
}
