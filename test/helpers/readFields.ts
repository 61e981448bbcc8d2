/** Reading the small protobuf messages the receivers answer with (statuses, partial successes). */
import assert from 'node:assert/strict';

export interface Field {
  readonly number: number;
  readonly value: number | Uint8Array;
}

/** The top-level fields of a protobuf message (varint and length-delimited only: enough here). */
export function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      const byte = bytes[pos++];
      assert.ok(byte !== undefined, 'truncated varint');
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const wireType = key & 7;
    const number = key >>> 3;
    if (wireType === 0) fields.push({ number, value: varint() });
    else if (wireType === 2) {
      const length = varint();
      fields.push({ number, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else assert.fail(`unexpected wire type ${wireType}`);
  }
  return fields;
}
