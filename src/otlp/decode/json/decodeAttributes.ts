import type { AttributeValue } from '../../../otelData/otelData.ts';
import { setAttribute } from '../setAttribute.ts';
import type { JsonObject, JsonWalker } from './JsonWalker.ts';

/** A repeated KeyValue field as a plain object; a later duplicate key wins. */
export function decodeAttributes(w: JsonWalker, value: unknown, field: string): Record<string, AttributeValue> {
  const list = w.array(value, field);
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i < list.length; i++) {
    const keyValue = w.enter(list[i], field, i);
    let key = '';
    let attributeValue: AttributeValue = null;
    for (const name in keyValue) {
      const part = keyValue[name];
      if (part === null) continue;
      if (name === 'key') {
        key = w.string(part, 'key');
      } else if (name === 'value') {
        attributeValue = decodeAnyValue(w, w.enter(part, 'value', -1));
        w.leave();
      } else if (name === 'keyStrindex' || name === 'key_strindex') {
        w.drop('profiling_field_ignored', 0);
      }
    }
    w.leave();
    setAttribute(attributes, key, attributeValue);
  }
  return attributes;
}

/** An AnyValue's content (its object entered): null when it holds none. */
function decodeAnyValue(w: JsonWalker, message: JsonObject): AttributeValue {
  let value: AttributeValue = null;
  let valueField: string | undefined;
  for (const key in message) {
    const field = message[key];
    if (field === null) continue;
    let name: string;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        name = 'stringValue';
        value = w.string(field, name);
        break;
      case 'boolValue':
      case 'bool_value':
        name = 'boolValue';
        value = w.bool(field, name);
        break;
      case 'intValue':
      case 'int_value':
        name = 'intValue';
        value = w.int64(field, name);
        break;
      case 'doubleValue':
      case 'double_value':
        name = 'doubleValue';
        value = w.double(field, name);
        break;
      case 'arrayValue':
      case 'array_value': {
        name = 'arrayValue';
        const array = w.enter(field, name, -1);
        const values: AttributeValue[] = [];
        for (const arrayKey in array) {
          if (arrayKey !== 'values' || array[arrayKey] === null) continue;
          const list = w.array(array[arrayKey], 'values');
          for (let i = 0; i < list.length; i++) {
            values.push(decodeAnyValue(w, w.enter(list[i], 'values', i)));
            w.leave();
          }
        }
        w.leave();
        value = values;
        break;
      }
      case 'kvlistValue':
      case 'kvlist_value': {
        name = 'kvlistValue';
        const list = w.enter(field, name, -1);
        value = 'values' in list && list.values !== null ? decodeAttributes(w, list.values, 'values') : {};
        w.leave();
        break;
      }
      case 'bytesValue':
      case 'bytes_value':
        name = 'bytesValue';
        value = w.bytes(field, name);
        break;
      case 'stringValueStrindex':
      case 'string_value_strindex':
        name = 'stringValueStrindex';
        value = null;
        w.drop('profiling_field_ignored', 0);
        break;
      default:
        continue;
    }
    if (valueField !== undefined && valueField !== name) throw w.fail(`both ${valueField} and ${name} are set; a value has one of them`);
    valueField = name;
  }
  return value;
}
