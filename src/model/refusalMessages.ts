import type { OtelMetric } from '../otelData/otelData.ts';
import { renderLabelText } from '../translate/labelText.ts';
import type { TranslatedResource } from '../translate/metricTranslator.ts';
import { MAX_REMEMBERED_WINDOWS } from './deltaWindows.ts';
import type { UpdateRefusal } from './updateSeries.ts';

/** The store's sentences for the sender: which metric, and what each refusal means. */

/** What each refusal of a point onto its series means, for the sender. */
export const REFUSAL_EXPLANATIONS: Readonly<Record<UpdateRefusal, string>> = {
  duplicate_series: 'two points for the series at one time in one request',
  out_of_order: 'a point older than the last one accepted',
  too_late: `a delta window too old to tell whether it was added already (a series remembers its last ${MAX_REMEMBERED_WINDOWS})`,
  multiple_writers: 'a cumulative point that started before the series did: another writer pushes this series (give each writer a distinct service.instance.id)',
  non_monotonic: 'a cumulative value lower than the last one with the same start time (only a new start time says the count restarted)',
};

/** The warning for a resource whose series several writers push: who it is, and the fix. */
export function describeSharedIdentity(resource: TranslatedResource): string {
  const { attributes, identity } = resource;
  const service = attributes['service.name'];
  const who = identity.length > 0 ? `{${renderLabelText(identity)}}` : `with service.name ${JSON.stringify(String(service ?? ''))}`;
  return (
    `several writers push the same cumulative series as the resource ${who}, and the points of the one that started earlier are refused; ` +
    'give each writer a distinct service.instance.id (OTEL_RESOURCE_ATTRIBUTES=service.instance.id=<unique>)'
  );
}

/** How messages name a metric: by its OpenTelemetry name, which the sender knows (no JSON on the hot path). */
export function describeMetric(metric: OtelMetric): string {
  return `metric "${metric.name}"`;
}
