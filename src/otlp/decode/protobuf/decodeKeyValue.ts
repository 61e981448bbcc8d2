import type { AttributeValue } from '../../../otelData/otelData.ts';
import { setAttribute } from '../setAttribute.ts';
import { ANY_VALUE, ARRAY_VALUE, KEY_VALUE, KEY_VALUE_LIST } from './protobufFields.ts';
import type { ProtobufReader } from './ProtobufReader.ts';
import { skipField } from './skipField.ts';
import { I64, LEN, tagOf, VARINT } from './wireTypes.ts';

/** Reads a KeyValue (its tag just read) into `target`; a later duplicate key wins. */
export function decodeKeyValueInto(r: ProtobufReader, target: Record<string, AttributeValue>, index: number): void {
  const outer = r.enter(KEY_VALUE, index);
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        key = r.string();
        break;
      case tagOf(2, LEN): {
        const valueOuter = r.enter(ANY_VALUE, -1);
        value = decodeAnyValue(r);
        r.leave(valueOuter);
        break;
      }
      case tagOf(3, VARINT):
        r.varint();
        r.drop('profiling_field_ignored', 0);
        break;
      default:
        skipField(r, tag);
    }
  }
  r.leave(outer);
  setAttribute(target, key, value);
}

/** An AnyValue's content (its message entered): null when it holds none. */
function decodeAnyValue(r: ProtobufReader): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case tagOf(1, LEN):
        value = r.string();
        break;
      case tagOf(2, VARINT):
        value = r.bool();
        break;
      case tagOf(3, VARINT):
        value = r.int64();
        break;
      case tagOf(4, I64):
        value = r.double();
        break;
      case tagOf(5, LEN): {
        const outer = r.enter(ARRAY_VALUE, -1);
        const values: AttributeValue[] = [];
        while (r.pos < r.limit) {
          const arrayTag = r.tag();
          if (arrayTag === tagOf(1, LEN)) {
            const valueOuter = r.enter(ANY_VALUE, values.length);
            values.push(decodeAnyValue(r));
            r.leave(valueOuter);
          } else {
            skipField(r, arrayTag);
          }
        }
        r.leave(outer);
        value = values;
        break;
      }
      case tagOf(6, LEN): {
        const outer = r.enter(KEY_VALUE_LIST, -1);
        const map: Record<string, AttributeValue> = {};
        let count = 0;
        while (r.pos < r.limit) {
          const listTag = r.tag();
          if (listTag === tagOf(1, LEN)) decodeKeyValueInto(r, map, count++);
          else skipField(r, listTag);
        }
        r.leave(outer);
        value = map;
        break;
      }
      case tagOf(7, LEN):
        value = r.bytesCopy();
        break;
      case tagOf(8, VARINT):
        r.varint();
        value = null;
        r.drop('profiling_field_ignored', 0);
        break;
      default:
        skipField(r, tag);
    }
  }
  return value;
}
