import type { AttributeValue, ResourceMetrics, ScopeMetrics } from '../../../otelData/otelData.ts';
import { decodeAttributes } from './decodeAttributes.ts';
import { decodeScopeMetrics } from './decodeScopeMetrics.ts';
import type { JsonObject, JsonWalker } from './JsonWalker.ts';

/** Reads a ResourceMetrics (its object entered): the Resource's attributes and the scopes. */
export function decodeResourceMetrics(w: JsonWalker, message: JsonObject): ResourceMetrics {
  let attributes: Record<string, AttributeValue> = {};
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  for (const key in message) {
    const value = message[key];
    if (value === null) continue;
    switch (key) {
      case 'resource': {
        const resource = w.enter(value, 'resource', -1);
        for (const resourceKey in resource) {
          if (resourceKey === 'attributes') attributes = decodeAttributes(w, resource[resourceKey], 'attributes');
        }
        w.leave();
        break;
      }
      case 'scopeMetrics':
      case 'scope_metrics': {
        const list = w.array(value, 'scopeMetrics');
        for (let i = 0; i < list.length; i++) {
          const scope = w.enter(list[i], 'scopeMetrics', i);
          scopeMetrics.push(decodeScopeMetrics(w, scope));
          w.leave();
        }
        break;
      }
      case 'schemaUrl':
      case 'schema_url':
        schemaUrl = w.string(value, 'schemaUrl');
        break;
    }
  }
  return { resource: { attributes, schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
}
