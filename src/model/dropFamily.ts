import { renderLabelText } from '../translate/labelText.ts';
import type { DropCounter } from './dropCounter.ts';
import type { Family, Series } from './family.ts';

export const DROPPED_METRIC_NAME = 'otel_prom_bridge_translation_dropped_total';

/** The bridge's own count of what it dropped while translating, by reason, as a counter family. */
export function buildDropFamily(drops: DropCounter, nowMs: number): Family {
  const series = new Map<string, Series>();
  for (const [reason, count] of drops.counts()) {
    const labels = [['reason', reason]] as const;
    const labelText = renderLabelText(labels);
    series.set(labelText, { labels, labelText, data: { kind: 'number', value: count }, timeMs: nowMs, startTimeMs: undefined });
  }
  return {
    name: DROPPED_METRIC_NAME,
    type: 'counter',
    help: 'Metrics, series and labels the bridge left out of its output, by reason (see the logs for which).',
    unit: '',
    series,
  };
}
