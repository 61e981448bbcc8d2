import { LABEL_PAIR } from './metricsProtoTags.ts';
import type { ProtobufWriter } from './ProtobufWriter.ts';

const QUOTE = 34;
const EQUALS = 61;

/**
 * The `LabelPair` messages (under `tag`) of a series' label text (`a="x",b="y"`, as
 * `renderLabelText` writes it; a UTF-8 name quoted): the text made UTF-8 at once, natively, then
 * its names and values copied byte by byte into their fields. Asking a store's series for its
 * pairs cuts them out of its text on each call, which took half of a W40k protobuf scrape, and a
 * loop over the text's characters twice as long as this.
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
  return true;
}
