import { isLegacyMetricName } from '../../translate/labelName.ts';
import { escapeLabelValue } from '../../translate/labelText.ts';

/** HELP text escapes `\` and newline; OpenMetrics also `"`. */
export function escapeHelp(help: string, openMetrics: boolean): string {
  const pattern = openMetrics ? /[\\"\n]/g : /[\\\n]/g;
  return help.replace(pattern, (c) => (c === '\n' ? '\\n' : `\\${c}`));
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

/**
 * A metric name in a `# HELP`/`# TYPE` line, quoted when it is not a legacy name: a name already
 * escaped as the scraper asked (`escapeNameFor`) is legacy unless it asked for `allow-utf-8`.
 */
export function renderMetadataName(name: string): string {
  return isLegacyMetricName(name) ? name : `"${escapeLabelValue(name)}"`;
}
