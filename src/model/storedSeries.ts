import { parseLabelText } from '../translate/labelText.ts';
import type { LabelPairs } from '../translate/labelSet.ts';
import type { Series, SeriesData } from './family.ts';
import type { Temporality } from '../otelData/otelData.ts';
import type { WriteStamp } from './writeStamp.ts';

/**
 * A series as the series store keeps it: what the exposition reads, and what the store's rules
 * need besides. Kept small, for a sidecar holding millions: its labels only as their exposition
 * text (the pairs are parsed back from it for the rare reader that wants them), and what the last
 * apply wrote besides its data as a stamp shared with the other series that apply wrote.
 */
export class StoredSeries implements Series {
  readonly labelText: string;
  data: SeriesData;
  startTimeMs: number | undefined;
  /** The last apply that wrote it, with the point's time and temporality. */
  written: WriteStamp;

  constructor(labelText: string, data: SeriesData, startTimeMs: number | undefined, written: WriteStamp) {
    this.labelText = labelText;
    this.data = data;
    this.startTimeMs = startTimeMs;
    this.written = written;
  }

  /** The time of its latest point. */
  get timeMs(): number {
    return this.written.timeMs;
  }

  /** How its points arrive: gauges and summaries count as cumulative. */
  get temporality(): Temporality {
    return this.written.temporality;
  }

  /** The store's clock when a point was last accepted for it (not the point's own time): drives expiry. */
  get updatedAtMs(): number {
    return this.written.receivedAtMs;
  }

  /** The labels, parsed from the label text. */
  get labels(): LabelPairs {
    return parseLabelText(this.labelText);
  }
}

/** A `target_info` series, which also knows the resource identity (job/instance) it describes. */
export class TargetInfoSeries extends StoredSeries {
  readonly targetInfoKey: string;

  constructor(labelText: string, written: WriteStamp, targetInfoKey: string) {
    super(labelText, { kind: 'number', value: 1 }, undefined, written);
    this.targetInfoKey = targetInfoKey;
  }
}

/**
 * A series that delta points from pushers write (the sidecar): it also keeps a fingerprint of the
 * values of each window it remembers (`written.deltaWindows`, in the same order), so that a
 * retried export, the same window with the same values, is recognised and not added twice.
 */
export class PushedDeltaSeries extends StoredSeries {
  windowFingerprints: readonly number[];

  constructor(labelText: string, data: SeriesData, startTimeMs: number | undefined, written: WriteStamp, fingerprint: number) {
    super(labelText, data, startTimeMs, written);
    this.windowFingerprints = [fingerprint];
  }
}
