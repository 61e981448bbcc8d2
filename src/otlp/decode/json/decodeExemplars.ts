import type { AttributeValue, Exemplar } from '../../../otelData/otelData.ts';
import { decodeAttributes } from './decodeAttributes.ts';
import type { JsonWalker } from './JsonWalker.ts';

/** A point's repeated Exemplar field; none when empty. */
export function decodeExemplars(w: JsonWalker, value: unknown): Exemplar[] | undefined {
  const list = w.array(value, 'exemplars');
  if (list.length === 0) return undefined;
  const exemplars: Exemplar[] = [];
  for (let i = 0; i < list.length; i++) {
    const message = w.enter(list[i], 'exemplars', i);
    let exemplarValue = 0;
    let valueField: string | undefined;
    let timeMs: number | undefined;
    let traceId: string | undefined;
    let spanId: string | undefined;
    let attributes: Record<string, AttributeValue> | undefined;
    for (const key in message) {
      const field = message[key];
      if (field === null) continue;
      switch (key) {
        case 'filteredAttributes':
        case 'filtered_attributes':
          attributes = decodeAttributes(w, field, 'filteredAttributes');
          break;
        case 'timeUnixNano':
        case 'time_unix_nano':
          timeMs = w.timeMs(field, 'timeUnixNano');
          break;
        case 'asDouble':
        case 'as_double':
        case 'asInt':
        case 'as_int': {
          const name = key === 'asDouble' || key === 'as_double' ? 'asDouble' : 'asInt';
          if (valueField !== undefined && valueField !== name) throw w.fail(`both ${valueField} and ${name} are set; an exemplar has one of them`);
          valueField = name;
          exemplarValue = name === 'asDouble' ? w.double(field, name) : w.int64Number(field, name);
          break;
        }
        case 'traceId':
        case 'trace_id':
          traceId = w.hexId(field, 'traceId', 16);
          break;
        case 'spanId':
        case 'span_id':
          spanId = w.hexId(field, 'spanId', 8);
          break;
      }
    }
    w.leave();
    if (attributes !== undefined && Object.keys(attributes).length === 0) attributes = undefined;
    exemplars.push({ value: exemplarValue, timeMs, traceId, spanId, attributes });
  }
  return exemplars;
}
