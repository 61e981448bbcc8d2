import type { AttributeValue, Exemplar } from '../../../otelData/otelData.ts';
import { decodeKeyValueInto } from './decodeKeyValue.ts';
import { EXEMPLAR } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { I64, LEN, tagOf } from './wireTypes.ts';

/** Reads an Exemplar (its tag just read), the `index`th of its point. */
export function decodeExemplar(r: ProtobufReader, index: number): Exemplar {
  const outer = r.enter(EXEMPLAR, index);
  let value = 0;
  let timeMs: number | undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let attributes: Record<string, AttributeValue> | undefined;
  let attributeCount = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(2, I64):
        timeMs = r.timeMs();
        break;
      case tagOf(3, I64):
        value = r.double();
        break;
      case tagOf(6, I64):
        value = r.sfixed64Number();
        break;
      case tagOf(4, LEN):
        spanId = r.hexId(8);
        break;
      case tagOf(5, LEN):
        traceId = r.hexId(16);
        break;
      case tagOf(7, LEN):
        attributes ??= {};
        decodeKeyValueInto(r, attributes, attributeCount++);
        break;
      default:
        skipField(r, tag);
    }
  }
  r.leave(outer);
  return { value, timeMs, traceId, spanId, attributes };
}
