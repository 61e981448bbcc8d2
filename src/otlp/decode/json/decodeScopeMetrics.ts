import type { AttributeValue, OtelMetric, ScopeMetrics } from '../../../otelData/otelData.ts';
import { scopeOf } from '../metricRules.ts';
import { decodeAttributes } from './decodeAttributes.ts';
import { decodeMetric } from './decodeMetric.ts';
import type { JsonObject, JsonWalker } from './JsonWalker.ts';

/** Reads a ScopeMetrics (its object entered): the InstrumentationScope and the metrics. */
export function decodeScopeMetrics(w: JsonWalker, message: JsonObject): ScopeMetrics {
  let name = '';
  let version = '';
  let attributes: Record<string, AttributeValue> | undefined;
  let schemaUrl = '';
  const metrics: OtelMetric[] = [];
  for (const key in message) {
    const value = message[key];
    if (value === null) continue;
    switch (key) {
      case 'scope': {
        const scope = w.enter(value, 'scope', -1);
        for (const scopeKey in scope) {
          const scopeValue = scope[scopeKey];
          if (scopeValue === null) continue;
          if (scopeKey === 'name') name = w.string(scopeValue, 'name');
          else if (scopeKey === 'version') version = w.string(scopeValue, 'version');
          else if (scopeKey === 'attributes') attributes = decodeAttributes(w, scopeValue, 'attributes');
        }
        w.leave();
        break;
      }
      case 'metrics': {
        const list = w.array(value, 'metrics');
        for (let i = 0; i < list.length; i++) {
          const metric = decodeMetric(w, w.enter(list[i], 'metrics', i));
          w.leave();
          if (metric !== undefined) metrics.push(metric);
        }
        break;
      }
      case 'schemaUrl':
      case 'schema_url':
        schemaUrl = w.string(value, 'schemaUrl');
        break;
    }
  }
  return { scope: scopeOf(name, version, schemaUrl, attributes), metrics };
}
