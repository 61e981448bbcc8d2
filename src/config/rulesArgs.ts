/**
 * `otel-prom-bridge rules --from <file|url>`: the command line of the recording-rule generator
 * (see `buildMigrationRules`), read with commander as the sidecar's flags are.
 */
import { CommanderError, Command, Option } from 'commander';
import { DEFAULT_MIGRATION_GROUP, type ScrapeNaming } from '../migration/buildMigrationRules.ts';
import { ConfigError } from './configError.ts';

export interface RulesArgs {
  /** A scrape's file path, or an http(s) URL to fetch it from. */
  readonly from: string;
  readonly naming: ScrapeNaming;
  readonly groupName: string;
}

export type RulesCommand = { readonly kind: 'rules-help' } | { readonly kind: 'rules'; readonly args: RulesArgs };

const NAMINGS: readonly ScrapeNaming[] = ['auto', 'exporter-prometheus', 'prometheus'];

/** The arguments after `rules`; a wrong one is a ConfigError (the CLI exits 2). */
export function parseRulesArgs(argv: readonly string[]): RulesCommand {
  const program = new Command('otel-prom-bridge rules')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .allowExcessArguments(false)
    .addOption(new Option('--from <file|url>'))
    .addOption(new Option('--naming <naming>').default('auto'))
    .addOption(new Option('--group <name>').default(DEFAULT_MIGRATION_GROUP))
    .addOption(new Option('-h, --help'));
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new ConfigError(`rules: ${error.message.replace(/^error: /, '').replace(/\.$/, '')}. See rules --help.`);
    throw error;
  }
  const options = program.opts<{ from?: string; naming: string; group: string; help?: true }>();
  if (options.help === true) return { kind: 'rules-help' };
  if (options.from === undefined || options.from.trim() === '') throw new ConfigError('rules needs --from <file|url>: a scrape of @opentelemetry/exporter-prometheus or of the bridge. See rules --help.');
  if (!(NAMINGS as readonly string[]).includes(options.naming)) {
    throw new ConfigError(`rules --naming ${JSON.stringify(options.naming)} is not valid; allowed: ${NAMINGS.join(', ')}.`);
  }
  if (options.group.trim() === '') throw new ConfigError('rules --group must not be empty.');
  return { kind: 'rules', args: { from: options.from.trim(), naming: options.naming as ScrapeNaming, groupName: options.group } };
}

export function renderRulesHelp(): string {
  return [
    'Usage: otel-prom-bridge rules --from <file|url> [--naming <naming>] [--group <name>]',
    '',
    'Prints Prometheus recording rules (a rule file, groups: YAML) that keep the series names of',
    "@opentelemetry/exporter-prometheus alive after a switch to Prometheus' naming: each rule records a",
    'series under its old name from its new one (record: http_server_request_duration_bucket,',
    'expr: http_server_request_duration_seconds_bucket). Load them into Prometheus beside the new',
    'exporter; drop each once no dashboard or alert queries its old name.',
    '',
    'Options:',
    '  --from <file|url>   a scrape of either output: a saved file, or a URL fetched asking for',
    '                      OpenMetrics (the bridge then writes the # UNIT lines its names need)',
    "  --naming <naming>   whose naming the scrape has: 'exporter-prometheus' (the official exporter;",
    "                      its text has # UNIT comments), 'prometheus' (the bridge, in OpenMetrics), or",
    "                      'auto': OpenMetrics is the bridge's, text with # UNIT the official one's",
    '                      (default: auto)',
    `  --group <name>      the rule group's name (default: ${DEFAULT_MIGRATION_GROUP})`,
    '  -h, --help          show this help and exit',
    '',
    'Exit codes: 0 with the rules on stdout; 1 when the scrape cannot be read or tells nothing;',
    '2 for a wrong option.',
    '',
  ].join('\n');
}
