/** The Grafana dashboards in dashboards/*.json, read as the tests need them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboards/', import.meta.url));

export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly datasource?: DatasourceRef;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: DatasourceRef;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets?: readonly PanelTarget[];
  readonly panels?: readonly Panel[];
}

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query?: string };
  readonly definition?: string;
  readonly datasource?: DatasourceRef;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

export interface DashboardFile {
  readonly file: string;
  readonly text: string;
  readonly dashboard: Dashboard;
}

export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
      return { file, text, dashboard: JSON.parse(text) as Dashboard };
    });
}

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** A query variable's `label_values(selector, label)`, split; undefined for other queries. */
export function parseLabelValues(variable: Variable): { selector: string; label: string } | undefined {
  const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? variable.definition ?? '');
  const match = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
  return match === null ? undefined : { selector: match[1]!.trim(), label: match[2]! };
}

/** `$name`, `${name}` and `[[name]]` references in a string. */
export function variableReferences(text: string): string[] {
  return [...text.matchAll(/\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}|\$([a-zA-Z0-9_]+)|\[\[([a-zA-Z0-9_]+)\]\]/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** Grafana's built-in variables these dashboards may use, with the values the query test gives them. */
export const BUILTIN_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '10s',
  __interval: '2s',
  __range: '1m',
};

/** Fills in `$name`/`${name}` from `values` (longest names first); throws on an unknown one. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}|\$([a-zA-Z0-9_]+)|\[\[([a-zA-Z0-9_]+)\]\]/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${whole} in ${text}`);
    return value;
  });
}

/**
 * A label value as Grafana's Prometheus datasource puts a selected value into a `=~` matcher:
 * regex-escaped, the backslash doubled for the PromQL string (`127.0.0.1` → `127\\.0\\.0\\.1`).
 */
export function escapeRegexValue(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\\\$&');
}
