/**
 * A label set's text, `a="x",b="y"`: the series' identity in the store and the prefix the text
 * formats write (Prometheus' own `labels.String()` without braces).
 */
import type { LabelPairs } from './labelPairs.ts';
import { isLegacyLabelName } from './labelName.ts';

/** Label values escape `\`, `"` and newline (both text formats). */
export function escapeLabelValue(value: string): string {
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `a="x",b="y"` without braces; a name outside the legacy character set is quoted (UTF-8 names). */
export function renderLabelText(labels: LabelPairs): string {
  let text = '';
  for (const [name, value] of labels) {
    if (text !== '') text += ',';
    text += `${quoteLabelName(name)}="${escapeLabelValue(value)}"`;
  }
  return text;
}

/** The label pairs of a label text: `renderLabelText`'s inverse (for the rare reader of single labels). */
export function parseLabelText(labelText: string): LabelPairs {
  const pairs: [string, string][] = [];
  const unescape = labelText.includes('\\');
  let i = 0;
  while (i < labelText.length) {
    let name: string;
    if (labelText[i] === '"') {
      [name, i] = readQuoted(labelText, i, unescape);
    } else {
      const equals = labelText.indexOf('=', i);
      name = labelText.slice(i, equals);
      i = equals;
    }
    const [value, end] = readQuoted(labelText, i + 1, unescape); // after the `=`
    pairs.push([name, value]);
    i = end + 1; // after the `,`
  }
  return pairs;
}

/** The text of the quoted string starting at `start` (unescaped), and the index after its closing quote. */
function readQuoted(text: string, start: number, unescape: boolean): [string, number] {
  if (!unescape) {
    const end = text.indexOf('"', start + 1);
    return [text.slice(start + 1, end), end + 1];
  }
  let out = '';
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === '"') return [out, i + 1];
    if (c === '\\') {
      out += text[i + 1] === 'n' ? '\n' : (text[i + 1] ?? '');
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
}

export function quoteLabelName(name: string): string {
  return isLegacyLabelName(name) ? name : `"${escapeLabelValue(name)}"`;
}
