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
