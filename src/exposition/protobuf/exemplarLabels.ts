import type { Exemplar } from '../../otelData/otelData.ts';
import type { LabelPairs } from '../../translate/labelPairs.ts';

/** OpenMetrics caps an exemplar's label names and values together at 128 code points; Prometheus drops a larger one. */
const EXEMPLAR_LABEL_LIMIT = 128;

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * An exemplar's labels, as the OpenMetrics writer picks them: `trace_id`, `span_id`, then the
 * attributes with legacy names and string values, each while the total still fits in 128 code points.
 */
export function exemplarLabels(exemplar: Exemplar): LabelPairs {
  const candidates: [string, string][] = [];
  if (exemplar.traceId) candidates.push(['trace_id', exemplar.traceId]);
  if (exemplar.spanId) candidates.push(['span_id', exemplar.spanId]);
  for (const [key, value] of Object.entries(exemplar.attributes ?? {})) {
    if (LEGACY_LABEL_NAME.test(key) && typeof value === 'string') candidates.push([key, value]);
  }
  const labels: [string, string][] = [];
  let used = 0;
  for (const pair of candidates) {
    const length = codePoints(pair[0]) + codePoints(pair[1]);
    if (used + length > EXEMPLAR_LABEL_LIMIT) continue;
    used += length;
    labels.push(pair);
  }
  return labels;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
