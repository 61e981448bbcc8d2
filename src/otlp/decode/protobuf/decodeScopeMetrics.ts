import type { AttributeValue, OtelMetric, ScopeMetrics } from '../../../otelData/otelData.ts';
import { scopeOf } from '../metricRules.ts';
import { decodeKeyValueInto } from './decodeKeyValue.ts';
import { decodeMetric } from './decodeMetric.ts';
import { METRIC, SCOPE } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { LEN, tagOf } from './wireTypes.ts';

/** Reads a ScopeMetrics (its message entered): the InstrumentationScope and the metrics. */
export function decodeScopeMetrics(r: ProtobufReader): ScopeMetrics {
  let name = '';
  let version = '';
  let attributes: Record<string, AttributeValue> | undefined;
  let schemaUrl = '';
  const metrics: OtelMetric[] = [];
  let metricCount = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN): {
        // InstrumentationScope, read here to keep its three fields without an intermediate object.
        const outer = r.enter(SCOPE, -1);
        let attributeCount = 0;
        while (r.pos < r.limit) {
          const scopeTag = r.tag();
          switch (scopeTag) {
            case tagOf(1, LEN):
              name = r.string();
              break;
            case tagOf(2, LEN):
              version = r.string();
              break;
            case tagOf(3, LEN):
              attributes ??= {};
              decodeKeyValueInto(r, attributes, attributeCount++);
              break;
            default:
              skipField(r, scopeTag);
          }
        }
        r.leave(outer);
        break;
      }
      case tagOf(2, LEN): {
        const outer = r.enter(METRIC, metricCount++);
        const metric = decodeMetric(r);
        r.leave(outer);
        if (metric !== undefined) metrics.push(metric);
        break;
      }
      case tagOf(3, LEN):
        schemaUrl = r.string();
        break;
      default:
        skipField(r, tag);
    }
  }
  return { scope: scopeOf(name, version, schemaUrl, attributes), metrics };
}
