import { FIELDS } from './protobufFields.ts';
import { MAX_DEPTH, type ProtobufReader } from './ProtobufReader.ts';
import { EGROUP, I32, I64, LEN, SGROUP, VARINT, WIRE_TYPE_NAMES } from './wireTypes.ts';

/**
 * Skips a field that the walker does not read (its tag just read): an unknown one by its wire type,
 * a known one after checking that its wire type is one the field takes (a known field sent with
 * another type is malformed, not unknown).
 */
export function skipField(r: ProtobufReader, tag: number): void {
  const wireType = tag & 7;
  const known = FIELDS[r.kinds[r.depth]!]![tag >>> 3];
  if (known !== undefined && !known.wireTypes.includes(wireType)) {
    const expected = known.wireTypes.map((t) => WIRE_TYPE_NAMES[t]).join(' or ');
    throw r.fail(`wire type ${WIRE_TYPE_NAMES[wireType]} where ${expected} is expected`);
  }
  skipValue(r, wireType, tag >>> 3);
}

function skipValue(r: ProtobufReader, wireType: number, field: number): void {
  switch (wireType) {
    case VARINT:
      r.varint();
      return;
    case I64:
      if (r.pos + 8 > r.limit) throw r.fail('truncated 64-bit value');
      r.pos += 8;
      return;
    case LEN: {
      const length = r.length();
      r.pos += length;
      return;
    }
    case I32:
      if (r.pos + 4 > r.limit) throw r.fail('truncated 32-bit value');
      r.pos += 4;
      return;
    case SGROUP:
      skipGroup(r, field);
      return;
    case EGROUP:
      throw r.fail('end-group without a start-group');
    default:
      throw r.fail(`invalid wire type ${wireType}`);
  }
}

/** Skips a (deprecated) group up to its end-group, nested groups included, without recursion. */
function skipGroup(r: ProtobufReader, field: number): void {
  const open = [field];
  while (open.length > 0) {
    if (r.depth + open.length > MAX_DEPTH) throw r.fail(`nesting depth exceeds ${MAX_DEPTH}`);
    if (r.pos >= r.limit) throw r.fail('group without an end-group');
    r.varint();
    const tag = r.lo;
    const wireType = tag & 7;
    const inner = tag >>> 3;
    if (inner === 0) throw r.fail('invalid field number 0');
    if (wireType === SGROUP) {
      open.push(inner);
    } else if (wireType === EGROUP) {
      if (open.pop() !== inner) throw r.fail(`end-group of field ${inner} inside a group of field ${open.at(-1) ?? field}`);
    } else {
      skipValue(r, wireType, inner);
    }
  }
}
