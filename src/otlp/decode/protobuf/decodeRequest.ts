import type { AttributeValue, ResourceMetrics, ScopeMetrics } from '../../../otelData/otelData.ts';
import { decodeKeyValueInto } from './decodeKeyValue.ts';
import { decodeScopeMetrics } from './decodeScopeMetrics.ts';
import { RESOURCE, RESOURCE_METRICS, SCOPE_METRICS } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { LEN, tagOf } from './wireTypes.ts';

/** The walkers of the top levels: the request, its ResourceMetrics and their Resource. */

export function decodeRequest(r: ProtobufReader): ResourceMetrics[] {
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === tagOf(1, LEN)) {
      const outer = r.enter(RESOURCE_METRICS, resourceMetrics.length);
      resourceMetrics.push(decodeResourceMetrics(r));
      r.leave(outer);
    } else {
      skipField(r, tag);
    }
  }
  return resourceMetrics;
}

function decodeResourceMetrics(r: ProtobufReader): ResourceMetrics {
  const attributes: Record<string, AttributeValue> = {};
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN): {
        // A message field given twice is merged, as protobuf has it: the attributes add up.
        const outer = r.enter(RESOURCE, -1);
        decodeResourceInto(r, attributes);
        r.leave(outer);
        break;
      }
      case tagOf(2, LEN): {
        const outer = r.enter(SCOPE_METRICS, scopeMetrics.length);
        scopeMetrics.push(decodeScopeMetrics(r));
        r.leave(outer);
        break;
      }
      case tagOf(3, LEN):
        schemaUrl = r.string();
        break;
      default:
        skipField(r, tag);
    }
  }
  return { resource: { attributes, schemaUrl: schemaUrl === '' ? undefined : schemaUrl }, scopeMetrics };
}

function decodeResourceInto(r: ProtobufReader, attributes: Record<string, AttributeValue>): void {
  let count = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === tagOf(1, LEN)) decodeKeyValueInto(r, attributes, count++);
    else skipField(r, tag);
  }
}
