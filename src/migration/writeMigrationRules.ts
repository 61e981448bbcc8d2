import { buildMigrationRules, type MigrationRules, type ScrapeNaming } from './buildMigrationRules.ts';
import { readScrape } from './readScrape.ts';

export interface WriteMigrationRulesOptions {
  /** A scrape's file path, or an http(s) URL (fetched asking for OpenMetrics). */
  readonly from: string;
  /** @default 'auto' */
  readonly naming?: ScrapeNaming;
  /** @default 'otel-prom-bridge-exporter-prometheus-names' */
  readonly groupName?: string;
}

/**
 * `otel-prom-bridge rules`: reads the scrape from its file or URL and builds the recording rules.
 * Rejects with a `ScrapeReadError` or a `MigrationRulesError` whose message says what to do.
 */
export async function writeMigrationRules(options: WriteMigrationRulesOptions): Promise<MigrationRules> {
  const text = await readScrape(options.from);
  return buildMigrationRules(text, { naming: options.naming ?? 'auto', source: options.from, ...(options.groupName === undefined ? {} : { groupName: options.groupName }) });
}
