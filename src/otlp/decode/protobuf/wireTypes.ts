/** Protobuf wire types (the low 3 bits of a tag), and the tag of a field. */

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

/** Wire types by number, as error messages name them. */
export const WIRE_TYPE_NAMES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32', '6', '7'];

export function tagOf(field: number, wireType: number): number {
  return (field << 3) | wireType;
}
