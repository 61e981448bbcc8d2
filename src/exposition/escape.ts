import type { LabelPairs } from '../translate/labelSet.ts';
import { isLegacyLabelName, isLegacyMetricName } from '../translate/labelName.ts';

/** Label values escape `\`, `"` and newline (both text formats). */
export function escapeLabelValue(value: string): string {
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes `\` and newline; OpenMetrics also `"`. */
export function escapeHelp(help: string, openMetrics: boolean): string {
  const pattern = openMetrics ? /[\\"\n]/g : /[\\\n]/g;
  return help.replace(pattern, (c) => (c === '\n' ? '\\n' : `\\${c}`));
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

/**
 * Writes a sample's name and labels. A UTF-8 metric name goes inside the braces, quoted, as
 * Prometheus 3 reads it: `{"my.metric",a="x"}`.
 */
export function renderSeriesPrefix(name: string, labelText: string): string {
  return renderSamplePrefix(toSampleName(name), labelText);
}

/** A sample name with its quoting decided once, for writing the prefixes of many series. */
export interface SampleName {
  readonly name: string;
  /** Quoted and escaped when it is not a legacy name (then it goes inside the braces), undefined otherwise. */
  readonly quoted: string | undefined;
}

export function toSampleName(name: string): SampleName {
  return { name, quoted: isLegacyMetricName(name) ? undefined : `"${escapeLabelValue(name)}"` };
}

/** `renderSeriesPrefix` for a sample name already checked. */
export function renderSamplePrefix(sample: SampleName, labelText: string): string {
  const { name, quoted } = sample;
  if (quoted === undefined) return labelText === '' ? name : `${name}{${labelText}}`;
  return labelText === '' ? `{${quoted}}` : `{${quoted},${labelText}}`;
}

/** A metric name in a `# HELP`/`# TYPE` line, quoted when it is not a legacy name. */
export function renderMetadataName(name: string): string {
  return isLegacyMetricName(name) ? name : `"${escapeLabelValue(name)}"`;
}
