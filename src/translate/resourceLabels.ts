import type { Attributes } from '../otelData/otelData.ts';
import { formatAttributeValue } from './attributeValue.ts';
import { sanitizeLabelName, type LabelNaming } from './labelName.ts';

export const SERVICE_NAME = 'service.name';
export const SERVICE_NAMESPACE = 'service.namespace';
export const SERVICE_INSTANCE_ID = 'service.instance.id';

/** Which resource attributes are copied onto every series as labels. */
export interface ResourceAttributePromotion {
  /** Exact attribute keys, e.g. `['service.name']` gives `service_name` on every series. */
  readonly keys?: readonly string[];
  /** Keys matching this expression, e.g. `/^k8s\./`. */
  readonly pattern?: RegExp;
}

/** `job` from `service.namespace`/`service.name`, `instance` from `service.instance.id`. */
export function buildJobAndInstance(resource: Attributes): [string, string][] {
  const labels: [string, string][] = [];
  const serviceName = formatAttributeValue(resource[SERVICE_NAME]);
  const namespace = formatAttributeValue(resource[SERVICE_NAMESPACE]);
  const instance = formatAttributeValue(resource[SERVICE_INSTANCE_ID]);
  if (serviceName !== '') labels.push(['job', namespace !== '' ? `${namespace}/${serviceName}` : serviceName]);
  if (instance !== '') labels.push(['instance', instance]);
  return labels;
}

/**
 * The resource attributes promoted to labels on every series. A promoted key that cannot be a label
 * name (`___`) is left out.
 */
export function buildPromotedLabels(
  resource: Attributes,
  promotion: ResourceAttributePromotion | undefined,
  naming: LabelNaming,
): [string, string][] {
  if (promotion === undefined || (promotion.keys === undefined && promotion.pattern === undefined)) return [];
  const labels: [string, string][] = [];
  for (const [key, raw] of Object.entries(resource)) {
    const promoted = (promotion.keys?.includes(key) ?? false) || (promotion.pattern !== undefined && key.search(promotion.pattern) >= 0);
    if (!promoted) continue;
    const name = sanitizeLabelName(key, naming);
    const value = formatAttributeValue(raw);
    if (name !== undefined && value !== '') labels.push([name, value]);
  }
  return labels;
}

/**
 * The labels of `target_info` for one resource. With `job`/`instance` (the sidecar, or by option
 * in-process) the three identifying attributes become those labels; without, every attribute is a
 * label. Returns undefined when nothing but identity would be left (no `target_info` then).
 */
export function buildTargetInfoAttributes(resource: Attributes, jobAndInstance: boolean): Attributes | undefined {
  const attributes: Record<string, Attributes[string]> = {};
  let count = 0;
  for (const [key, value] of Object.entries(resource)) {
    if (jobAndInstance && (key === SERVICE_NAME || key === SERVICE_NAMESPACE || key === SERVICE_INSTANCE_ID)) continue;
    if (formatAttributeValue(value) === '') continue;
    attributes[key] = value;
    count++;
  }
  return count === 0 ? undefined : attributes;
}
