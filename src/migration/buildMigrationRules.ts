import { stringify } from 'yaml';
import { buildMetricName, type NamingKind } from '../translate/metricName.ts';
import { NamingCompatibility } from '../translate/namingCompatibility.ts';
import { TranslationStrategy } from '../translate/translationStrategy.ts';
import { readScrapeFamilies, type Scrape, type ScrapeFamily } from './readScrapeFamilies.ts';

/** Whose naming a scrape has, or `auto` to tell from the scrape itself. */
export type ScrapeNaming = 'auto' | NamingCompatibility;

export interface MigrationRulesOptions {
  /**
   * Whose naming the scrape has: `exporter-prometheus` (the official exporter's output, text with
   * its `# UNIT` comments), `prometheus` (the bridge's default naming, in OpenMetrics so that its
   * `# UNIT` lines say which suffix is a unit), or `auto`: OpenMetrics is the bridge's, text with
   * `# UNIT` comments the official exporter's. @default 'auto'
   */
  readonly naming?: ScrapeNaming;
  /** Where the scrape came from, named in the header comment. @default none */
  readonly source?: string;
  /** The rule group's name. @default 'otel-prom-bridge-exporter-prometheus-names' */
  readonly groupName?: string;
}

export interface RecordingRule {
  /** The name the official exporter wrote, which old dashboards query. */
  readonly record: string;
  /** The series under Prometheus' naming (with renamed labels put back, where known). */
  readonly expr: string;
}

export interface MigrationRules {
  /** Whose naming the scrape had. */
  readonly naming: NamingCompatibility;
  readonly rules: readonly RecordingRule[];
  /** What got no rule, and why; also comments in `yaml`. */
  readonly notes: readonly string[];
  /** A Prometheus rule file: `groups:` with one group of these rules, the notes as comments. */
  readonly yaml: string;
}

/** A scrape that says nothing the rules could be built from; the message says what to do. */
export class MigrationRulesError extends Error {
  override readonly name = 'MigrationRulesError';
}

export const DEFAULT_MIGRATION_GROUP = 'otel-prom-bridge-exporter-prometheus-names';

/** One family under both namings, by the names its samples take before their type's suffixes. */
interface FamilyRename {
  readonly type: string;
  readonly oldBase: string;
  readonly newBase: string;
  /** [label in the new output, label the official exporter wrote], for labels known to differ. */
  readonly labels: readonly (readonly [string, string])[];
}

/** The sample suffixes of each type, in the text naming (a counter's `_total` is part of its base). */
function suffixesOf(type: string): readonly string[] {
  if (type === 'histogram') return ['_bucket', '_sum', '_count'];
  if (type === 'summary') return ['', '_sum', '_count'];
  return [''];
}

/**
 * Prometheus recording rules that keep the official exporter's series names alive after a move to
 * Prometheus' naming: each rule records a series under its old name (`record:
 * http_server_request_duration_bucket`) from its new one (`expr:
 * http_server_request_duration_seconds_bucket`), so that dashboards and alerts keep working while
 * they are moved to the new names; a rule can go once nothing queries its old name.
 *
 * From a scrape of either output: the official exporter's (its `# UNIT` comments give each unit, so
 * each new name is exact) or the bridge's in OpenMetrics (its `# UNIT` lines say which suffix is a
 * unit, and label names with runs of `_`, which the official exporter collapsed, are put back).
 * README.md, "Migrating from @opentelemetry/exporter-prometheus", says what each cannot know.
 */
export function buildMigrationRules(scrapeText: string, options: MigrationRulesOptions = {}): MigrationRules {
  const scrape = readScrapeFamilies(scrapeText);
  const naming = options.naming === undefined || options.naming === 'auto' ? detectNaming(scrape) : options.naming;
  const notes: string[] = [];
  const renames = naming === NamingCompatibility.ExporterPrometheus ? renamesFromOldNames(scrape, notes) : renamesFromNewNames(scrape, notes);
  const newSampleNames = new Set<string>();
  if (naming === NamingCompatibility.Prometheus) for (const family of scrape.families) for (const name of family.sampleNames) newSampleNames.add(name);
  else for (const rename of renames) for (const suffix of suffixesOf(rename.type)) newSampleNames.add(`${rename.newBase}${suffix}`);

  const rules: RecordingRule[] = [];
  for (const rename of renames) {
    if (rename.oldBase === rename.newBase) {
      if (rename.labels.length > 0) {
        notes.push(`${rename.newBase}: labels ${rename.labels.map(([to, from]) => `${to} (was ${from})`).join(', ')} differ, but the name does not; a rule would record beside the series themselves, so none is written.`);
      }
      continue;
    }
    const taken = suffixesOf(rename.type).find((suffix) => newSampleNames.has(`${rename.oldBase}${suffix}`));
    if (taken !== undefined) {
      notes.push(`${rename.oldBase}${taken}: the new naming writes a series of that name already (another metric); no rule records into it.`);
      continue;
    }
    for (const suffix of suffixesOf(rename.type)) rules.push({ record: `${rename.oldBase}${suffix}`, expr: buildExpr(`${rename.newBase}${suffix}`, rename.labels) });
  }
  return { naming, rules, notes, yaml: renderRuleFile(rules, notes, naming, options) };
}

function detectNaming(scrape: Scrape): NamingCompatibility {
  if (scrape.format === 'openmetrics') return NamingCompatibility.Prometheus;
  if (scrape.families.some((family) => family.unit !== undefined)) return NamingCompatibility.ExporterPrometheus;
  throw new MigrationRulesError(
    "cannot tell whose naming this scrape has: it is text 0.0.4 without # UNIT lines. The official exporter writes # UNIT comments for metrics with a unit; the bridge writes units only in OpenMetrics (give the URL, which is fetched asking for OpenMetrics, or save the scrape with curl -H 'Accept: application/openmetrics-text'). Or say it with naming 'exporter-prometheus' or 'prometheus' (--naming).",
  );
}

/** The families a rename is about: not `target_info` (one name in both), not the bridge's own. */
function isApplicationFamily(family: ScrapeFamily): boolean {
  return family.name !== 'target_info' && !family.name.startsWith('otel_prom_bridge_');
}

/**
 * From the official exporter's names, units and types: the new name is Prometheus' naming of the
 * old one with its unit (the old name's words are the OpenTelemetry name's). Label names are kept:
 * from a collapsed name (`a_b`) the attribute key (`a.b`, `a..b`) cannot be known.
 */
function renamesFromOldNames(scrape: Scrape, notes: string[]): FamilyRename[] {
  const renames: FamilyRename[] = [];
  for (const family of scrape.families) {
    if (!isApplicationFamily(family)) continue;
    if (family.sampleNames.size === 0) {
      notes.push(`${family.name}: no samples in the scrape (the official exporter writes none for an exponential histogram); no rule.`);
      continue;
    }
    const kind: NamingKind = family.type === 'counter' ? 'counter' : family.type === 'gauge' ? 'gauge' : 'other';
    const unit = family.unit ?? '';
    const newBase = buildMetricName({ name: family.name, unit, kind }, { strategy: TranslationStrategy.UnderscoreEscapingWithSuffixes });
    if (newBase === undefined) continue;
    if (kind === 'gauge' && unit === '1' && newBase !== family.name) {
      notes.push(`${family.name}: taken for an OpenTelemetry gauge (${newBase}); were it an up-down counter, its name stays and the rule records nothing.`);
    }
    renames.push({ type: family.type, oldBase: family.name, newBase, labels: [] });
  }
  return renames;
}

/**
 * From the bridge's names and `# UNIT` lines: the old name is the new one without its unit word
 * (and `_total` back on a counter); labels with runs of `_` get the official exporter's collapsed
 * name back. A name that ended with its unit word already (`response_time_seconds`, unit `s`) is
 * taken for a suffixed one: its rule records a name no dashboard used, which does no harm.
 */
function renamesFromNewNames(scrape: Scrape, notes: string[]): FamilyRename[] {
  const renames: FamilyRename[] = [];
  if (scrape.format === 'text' && scrape.families.every((family) => family.unit === undefined)) {
    notes.push('the scrape is text 0.0.4, which carries no units: no unit suffix is taken off (scrape the bridge in OpenMetrics for that).');
  }
  for (const family of scrape.families) {
    if (!isApplicationFamily(family) || family.sampleNames.size === 0) continue;
    const counter = family.type === 'counter';
    const newBase = counter && !family.name.endsWith('_total') ? `${family.name}_total` : family.name;
    let stem = counter ? newBase.slice(0, -'_total'.length) : newBase;
    const unit = family.unit ?? '';
    if (unit !== '' && stem.endsWith(`_${unit}`) && stem.length > unit.length + 1) stem = stem.slice(0, -(unit.length + 1));
    const labels = [...family.labelNames]
      .filter((label) => /_{2,}/.test(label))
      .sort()
      .map((label) => [label, label.replace(/_{2,}/g, '_')] as const);
    renames.push({ type: family.type, oldBase: counter ? `${stem}_total` : stem, newBase, labels });
  }
  return renames;
}

/** The new series, with each renamed label copied to its old name and the new name aggregated away (one series per group). */
function buildExpr(newName: string, labels: readonly (readonly [string, string])[]): string {
  if (labels.length === 0) return newName;
  let expr = newName;
  for (const [to, from] of labels) expr = `label_replace(${expr}, "${from}", "$1", "${to}", "(.*)")`;
  return `sum without (${labels.map(([to]) => to).join(', ')}) (${expr})`;
}

function renderRuleFile(rules: readonly RecordingRule[], notes: readonly string[], naming: NamingCompatibility, options: MigrationRulesOptions): string {
  const read = naming === NamingCompatibility.ExporterPrometheus ? "@opentelemetry/exporter-prometheus's naming" : "the bridge's Prometheus naming";
  const header = [
    `Written by \`otel-prom-bridge rules\` from ${options.source ?? 'a scrape'} (${read}).`,
    'Each rule records a series under the name @opentelemetry/exporter-prometheus gave it (record), from',
    "its name under Prometheus' naming (expr), so that dashboards and alerts on the old names keep working",
    'after the switch. Labels are the new output\'s (its otel_scope_<attribute> labels too); remove a rule',
    'once nothing queries its old name.',
    ...(notes.length === 0 ? [] : ['', 'Not renamed, or to check:', ...notes.map((note) => `  - ${note}`)]),
  ];
  const body = stringify({ groups: [{ name: options.groupName ?? DEFAULT_MIGRATION_GROUP, rules: rules.map(({ record, expr }) => ({ record, expr })) }] }, { lineWidth: 0 });
  return `${header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n')}\n${body}`;
}
