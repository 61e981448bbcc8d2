import type { LabelLayout } from '../translate/labelLayout.ts';
import type { LabelPairs } from '../translate/labelPairs.ts';
import type { Series, SeriesData } from './family.ts';
import type { Temporality } from '../otelData/otelData.ts';
import type { WriteStamp } from './writeStamp.ts';

/**
 * A series as the series store keeps it: what the exposition reads, and what the store's rules
 * need besides. Kept small, for a sidecar holding millions: its labels as their exposition text
 * (the text formats' prefix) and the layout it shares with the series of the same attribute keys
 * and context (the pairs are cut out of the text by it, for outputs that want pairs); its times
 * and what the last apply wrote besides its data as a stamp shared with the other series that
 * apply wrote.
 */
export class StoredSeries implements Series {
  readonly labelText: string;
  /** How `labelText` is laid out: gives the label pairs. */
  readonly layout: LabelLayout;
  data: SeriesData;
  /** The last apply that wrote it, with the point's time, its start time and temporality. */
  written: WriteStamp;

  constructor(labelText: string, layout: LabelLayout, data: SeriesData, written: WriteStamp) {
    this.labelText = labelText;
    this.layout = layout;
    this.data = data;
    this.written = written;
  }

  /** The time of its latest point. */
  get timeMs(): number {
    return this.written.timeMs;
  }

  /** When it (re)started, if known. */
  get startTimeMs(): number | undefined {
    return this.written.startTimeMs;
  }

  /** How its points arrive: gauges and summaries count as cumulative. */
  get temporality(): Temporality {
    return this.written.temporality;
  }

  /** The store's clock when a point was last accepted for it (not the point's own time): drives expiry. */
  get updatedAtMs(): number {
    return this.written.receivedAtMs;
  }

  /** The labels as name/value pairs sorted by name (remote write, protobuf): cut out of the text by its layout. */
  get labels(): LabelPairs {
    return this.layout.pairsOf(this.labelText);
  }
}

/** A `target_info` series, which also knows the resource identity (job/instance) it describes. */
export class TargetInfoSeries extends StoredSeries {
  readonly targetInfoKey: string;

  constructor(labelText: string, layout: LabelLayout, written: WriteStamp, targetInfoKey: string) {
    super(labelText, layout, { kind: 'number', value: 1 }, written);
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

  constructor(labelText: string, layout: LabelLayout, data: SeriesData, written: WriteStamp, fingerprint: number) {
    super(labelText, layout, data, written);
    this.windowFingerprints = [fingerprint];
  }
}
