import { LABEL_PAIR } from './metricsProtoTags.ts';
import type { ProtobufWriter } from './ProtobufWriter.ts';

const QUOTE = 34;
const EQUALS = 61;

/** A `LabelPair` around a name and a value adds six bytes (three tags, three lengths); the text around them has four (`=""` and `,`), or six for a quoted name. */
const PAIR_OVERHEAD = 6;

/**
 * The `LabelPair` messages (under `tag`, a one-byte tag) of a series' label text (`a="x",b="y"`,
 * as `renderLabelText` writes it; a UTF-8 name quoted): the text made UTF-8 at once, natively,
 * then its names and values copied byte by byte into their fields, in one loop over local
 * variables with room made once for the whole text. Asking a store's series for its pairs cuts
 * them out of its text on each call, which took half of a W40k protobuf scrape; a loop over the
 * text's characters took twice as long as this, and a loop calling the writer for each field
 * (room checked for each) about twice as long too.
 *
 * Returns false, having written nothing, for a text it does not write: one with an escaped
 * character, or a quoted name when names are to be escaped (`escapingNames`); the caller writes
 * such a series' pairs.
 */
export function writeLabelTextPairs(writer: ProtobufWriter, tag: number, labelText: string, escapingNames: boolean): boolean {
  if (labelText.includes('\\')) return false;
  // A quoted name starts the text or follows `",`; so does a value ending with a comma: a false alarm only takes the slower way.
  if (escapingNames && (labelText.charCodeAt(0) === QUOTE || labelText.includes(',"'))) return false;
  const end = writer.toScratch(labelText);
  const text = writer.scratch;
  // Each pair grows by at most two bytes, and a pair takes at least four bytes of text (`a=""`).
  const buffer = writer.room(end + (end >> 1) + PAIR_OVERHEAD);
  const start = writer.position;
  let out = start;
  let at = 0;
  while (at < end) {
    buffer[out] = tag;
    const pairAt = out + 1;
    buffer[out + 2] = LABEL_PAIR.name;
    const nameAt = out + 3;
    out += 4;
    let byte = text[at]!;
    if (byte === QUOTE) {
      at++;
      while (at < end && (byte = text[at]!) !== QUOTE) {
        buffer[out++] = byte;
        at++;
      }
      at += 3; // past `"="`
    } else {
      while (at < end && (byte = text[at]!) !== EQUALS) {
        buffer[out++] = byte;
        at++;
      }
      at += 2; // past `="`
    }
    const nameLength = out - nameAt - 1;
    buffer[out] = LABEL_PAIR.value;
    const valueAt = out + 1;
    out += 2;
    while (at < end && (byte = text[at]!) !== QUOTE) {
      buffer[out++] = byte;
      at++;
    }
    at += 2; // past `",`
    const pairLength = out - pairAt - 1;
    if (pairLength >= 128) {
      // A long name or value: its lengths take more than a byte; the way that moves bytes along.
      writeLongPairs(writer, tag, start, end);
      return true;
    }
    buffer[pairAt] = pairLength;
    buffer[nameAt] = nameLength;
    buffer[valueAt] = out - valueAt - 1;
  }
  writer.advanceTo(out);
  return true;
}

/** The pairs of the text in the scratch buffer, written from `start` over what was begun there, each field's length moved into place as needed. */
function writeLongPairs(writer: ProtobufWriter, tag: number, start: number, end: number): void {
  writer.advanceTo(start);
  let at = 0;
  while (at < end) {
    writer.writeTag(tag);
    const pair = writer.beginLength();
    writer.writeTag(LABEL_PAIR.name);
    at = writer.scratchByte(at) === QUOTE ? writer.writeScratchUntil(at + 1, end, QUOTE) + 2 : writer.writeScratchUntil(at, end, EQUALS) + 1;
    // at the value's opening quote
    writer.writeTag(LABEL_PAIR.value);
    at = writer.writeScratchUntil(at + 1, end, QUOTE) + 2; // after `",`
    writer.endLength(pair);
  }
}
