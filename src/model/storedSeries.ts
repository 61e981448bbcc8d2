import { parseLabelText } from '../exposition/escape.ts';
import type { LabelPairs } from '../translate/labelSet.ts';
import type { Series, SeriesData } from './family.ts';
import type { Temporality } from './otelData.ts';
import type { PointTimes } from './updateSeries.ts';

/**
 * A series as the series store keeps it: what the exposition reads, and what the store's rules
 * need besides. Kept small, for a sidecar holding millions: its labels only as their exposition
 * text (the pairs are parsed back from it for the rare reader that wants them).
 */
export class StoredSeries implements Series {
  readonly labelText: string;
  data: SeriesData;
  timeMs: number;
  startTimeMs: number | undefined;
  generation: number;
  /** How its points arrive: gauges and summaries count as cumulative (each point is the whole value). */
  temporality: Temporality;
  /** The store's clock when a point was last accepted for it (not the point's own time): drives expiry. */
  updatedAtMs: number;

  constructor(
    labelText: string,
    data: SeriesData,
    times: PointTimes,
    generation: number,
    temporality: Temporality,
    updatedAtMs: number,
  ) {
    this.labelText = labelText;
    this.data = data;
    this.timeMs = times.timeMs;
    this.startTimeMs = times.startTimeMs;
    this.generation = generation;
    this.temporality = temporality;
    this.updatedAtMs = updatedAtMs;
  }

  /** The label pairs, parsed from the label text. */
  get labels(): LabelPairs {
    return parseLabelText(this.labelText);
  }
}

/** A `target_info` series, which also knows the resource identity (job/instance) it describes. */
export class TargetInfoSeries extends StoredSeries {
  readonly targetInfoKey: string;

  constructor(labelText: string, receivedAtMs: number, generation: number, targetInfoKey: string) {
    super(labelText, { kind: 'number', value: 1 }, { timeMs: receivedAtMs, startTimeMs: undefined }, generation, 'cumulative', receivedAtMs);
    this.targetInfoKey = targetInfoKey;
  }
}
