/**
 * What the bridge should give for the rows of Prometheus' translator tables
 * (test/translate/prometheusTables.ts), and how to push many rows at once without one row's metric
 * taking another's name: shared by the table tests of the translation functions, the in-process
 * exporter and the sidecar.
 */
import type { LabelNaming } from '../../src/translate/labelName.ts';
import type { NamingKind } from '../../src/translate/metricName.ts';
import { TranslationStrategy } from '../../src/translate/translationStrategy.ts';
import type { LabelCase, NameCase, PrometheusMetricType } from '../translate/prometheusTables.ts';

export const STRATEGIES: readonly TranslationStrategy[] = Object.values(TranslationStrategy);

/** What naming knows of otlptranslator's metric types. */
export function namingKindOf(type: PrometheusMetricType): NamingKind {
  return type === 'monotonicCounter' ? 'counter' : type === 'gauge' ? 'gauge' : 'other';
}

/** The name the bridge gives: the upstream one, unless the row says the bridge differs. */
export function bridgeName(row: NameCase): string | undefined {
  return row.bridge === undefined ? row.want : row.bridge.want;
}

export function bridgeUnit(row: NameCase): string | undefined {
  return row.bridge?.wantUnit ?? row.wantUnit;
}

/** A row's description in test names. */
export function describeNameCase(row: NameCase): string {
  const namespace = row.namespace === undefined ? '' : ` namespace ${JSON.stringify(row.namespace)}`;
  const want = bridgeName(row);
  return `${row.case}: ${row.type} ${JSON.stringify(row.name)} unit ${JSON.stringify(row.unit)}${namespace} → ${want === undefined ? 'no metric' : JSON.stringify(want)}`;
}

/** The names a family of this name and type takes: its samples', and a counter's OpenMetrics family name (without `_total`). */
function takenNamesOf(name: string, type: PrometheusMetricType): string[] {
  if (namingKindOf(type) === 'other') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
  return name.endsWith('_total') ? [name, name.slice(0, -'_total'.length), `${name.slice(0, -'_total'.length)}_created`] : [name];
}

/**
 * The rows of one strategy, in groups that can be pushed together: one namespace each (an option
 * of the whole exporter or sidecar), and no two rows whose families would share a name (or whose
 * sample names would meet, as a counter `x_total` and a gauge `x` do in OpenMetrics). Rows with no
 * metric go into any group.
 */
export function batchNameCases(rows: readonly NameCase[]): NameCase[][] {
  const batches: { namespace: string; taken: Set<string>; rows: NameCase[] }[] = [];
  for (const row of rows) {
    const namespace = row.namespace ?? '';
    const want = bridgeName(row);
    const names = want === undefined ? [] : takenNamesOf(want, row.type);
    let batch = batches.find((candidate) => candidate.namespace === namespace && names.every((name) => !candidate.taken.has(name)));
    if (batch === undefined) {
      batch = { namespace, taken: new Set(), rows: [] };
      batches.push(batch);
    }
    for (const name of names) batch.taken.add(name);
    batch.rows.push(row);
  }
  return batches.map(({ rows: batchRows }) => batchRows);
}

/** Prometheus' two label settings, as the rows of LABEL_NAMER_CASES name their combinations. */
export interface LabelSettings {
  readonly field: 'collapsed' | 'collapsedKey' | 'preserved' | 'preservedKey';
  readonly preserveMultipleUnderscores: boolean;
  readonly underscoreSanitization: boolean;
}

export const LABEL_SETTINGS: readonly LabelSettings[] = [
  { field: 'preservedKey', preserveMultipleUnderscores: true, underscoreSanitization: true },
  { field: 'preserved', preserveMultipleUnderscores: true, underscoreSanitization: false },
  { field: 'collapsedKey', preserveMultipleUnderscores: false, underscoreSanitization: true },
  { field: 'collapsed', preserveMultipleUnderscores: false, underscoreSanitization: false },
];

export function describeLabelSettings(settings: LabelSettings): string {
  return `label_name_preserve_multiple_underscores ${settings.preserveMultipleUnderscores}, label_name_underscore_sanitization ${settings.underscoreSanitization}`;
}

/**
 * The label name a key gets under a strategy and settings: a name, null when Prometheus refuses the
 * key (the bridge refuses the point), undefined when the upstream test does not say.
 */
export function expectedLabelName(row: LabelCase, escapes: boolean, settings: LabelSettings): string | null | undefined {
  return escapes ? row.want[settings.field] : row.want.utf8;
}

export function labelNamingOf(escape: boolean, settings: LabelSettings): LabelNaming {
  return { escape, preserveMultipleUnderscores: settings.preserveMultipleUnderscores, underscoreSanitization: settings.underscoreSanitization };
}
