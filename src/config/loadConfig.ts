/**
 * argv, environment and the `--config` YAML file → every setting's value and where it came from.
 * Flags are read with commander, the file with yaml, each value with its setting's zod schema.
 */
import { readFileSync } from 'node:fs';
import { CommanderError, Command, Option } from 'commander';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { closestName } from './closestName.ts';
import { ConfigError, describeSource, type SettingSource } from './configError.ts';
import { SETTING_NAMES, SETTINGS, type ConfigValues, type SettingName } from './schema.ts';
import { parseRulesArgs, type RulesCommand } from './rulesArgs.ts';

export interface LoadedConfig {
  readonly values: ConfigValues;
  readonly sources: { readonly [K in SettingName]: SettingSource };
}

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly config: LoadedConfig }
  | { readonly kind: 'run'; readonly config: LoadedConfig }
  /** `otel-prom-bridge rules …`: recording rules for a move from the official exporter's names. */
  | RulesCommand;

export interface LoadConfigInput {
  /** The arguments after `node` and the script. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the `--config` file. @default readFileSync(path, 'utf8') */
  readonly readFile?: (path: string) => string;
}

/** Reads the command line, the environment and the file; throws a ConfigError with a one-line message. */
export function loadConfig({ argv, env, readFile = (path) => readFileSync(path, 'utf8') }: LoadConfigInput): CliCommand {
  if (argv[0] === 'rules') return parseRulesArgs(argv.slice(1));
  const flags = parseFlags(argv);
  if (flags.help === true) return { kind: 'help' };
  if (flags.version === true) return { kind: 'version' };
  const configPath = typeof flags.config === 'string' ? flags.config : undefined;
  const file = configPath === undefined ? new Map<string, unknown>() : readConfigFile(configPath, readFile);

  const values: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    const flag = flags[attributeName(setting.flag)];
    const fromEnv = env[setting.env];
    let raw: unknown;
    let source: SettingSource;
    if (flag !== undefined) {
      raw = flag;
      source = { kind: 'flag', flag: setting.flag };
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw = fromEnv;
      source = { kind: 'env', variable: setting.env };
    } else if (file.has(setting.yamlKey)) {
      raw = file.get(setting.yamlKey);
      source = { kind: 'file', file: configPath ?? '', key: setting.yamlKey };
    } else {
      values[name] = setting.default;
      sources[name] = { kind: 'default' };
      continue;
    }
    const parsed = (setting.type.schema as { safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: { message: string }[] } } }).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0] as { message: string; path?: readonly PropertyKey[] } | undefined;
      const problem = issue?.message ?? 'not allowed';
      if (setting.type.structured === true) {
        const at = formatIssuePath(setting.yamlKey, issue?.path ?? []);
        throw new ConfigError(`${at} from ${describeSource(source)} is not valid (${problem}); allowed: ${setting.type.allowed}.`);
      }
      throw new ConfigError(`${setting.yamlKey} ${JSON.stringify(raw)} from ${describeSource(source)} is not valid (${problem}); allowed: ${setting.type.allowed}.`);
    }
    values[name] = parsed.data;
    sources[name] = source;
  }
  const config = { values: values as unknown as ConfigValues, sources: sources as LoadedConfig['sources'] };
  return flags.checkConfig === true ? { kind: 'check', config } : { kind: 'run', config };
}

/** Where in a list or map a problem is: `remote_write[0].queue_config`. */
function formatIssuePath(key: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${String(part)}`), key);
}

/** commander's property name for a flag: `--metrics-listen` → `metricsListen`. */
function attributeName(flag: string): string {
  return new Option(flag).attributeName();
}

function buildProgram(): Command {
  const program = new Command('otel-prom-bridge')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .allowExcessArguments(false)
    .addOption(new Option('--config <path>'))
    .addOption(new Option('--check-config'))
    .addOption(new Option('-h, --help'))
    .addOption(new Option('-v, --version'));
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    program.addOption(new Option(`${setting.flag} ${setting.type.placeholder}`));
  }
  return program;
}

function parseFlags(argv: readonly string[]): Record<string, unknown> {
  const program = buildProgram();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new ConfigError(`${error.message.replace(/^error: /, '').replace(/\.$/, '')}. See --help.`);
    throw error;
  }
  return program.opts();
}

/** The file's top-level keys; an unreadable or malformed file, or an unknown key, is a ConfigError. */
function readConfigFile(path: string, readFile: (path: string) => string): Map<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new ConfigError(`cannot read the --config file ${path}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem !== undefined) {
    const at = lines.linePos(startOfProblem(document, problem));
    throw new ConfigError(`${path}:${at.line}:${at.col} is not valid YAML: ${(problem.message.split('\n')[0] ?? '').replace(/\.$/, '')}.`);
  }
  const entries = new Map<string, unknown>();
  if (document.contents === null) return entries;
  if (!isMap(document.contents)) throw new ConfigError(`${path} must be a YAML mapping of setting keys to values (e.g. metrics_listen: ":9464").`);
  const values = document.toJS() as Record<string, unknown>;
  const known = new Set(SETTING_NAMES.map((name) => SETTINGS[name].yamlKey));
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!known.has(key)) {
      const line = isScalar(pair.key) && pair.key.range !== undefined && pair.key.range !== null ? `:${lines.linePos(pair.key.range[0]).line}` : '';
      const meant = closestName(key, known);
      const hint = meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`;
      throw new ConfigError(`${path}${line} has an unknown key ${JSON.stringify(key)}${hint}; the keys are ${[...known].join(', ')}.`);
    }
    entries.set(key, values[key]);
  }
  return entries;
}

/**
 * Where a YAML error starts: the parser notices a quote left open only at the end of the file, so
 * such an error is placed at the opening quote (the start of the top-level value it is in).
 */
function startOfProblem(document: Document, problem: YAMLError): number {
  const at = problem.pos[0];
  if (problem.code !== 'MISSING_CHAR' || !isMap(document.contents)) return at;
  for (const pair of document.contents.items) {
    const range = isScalar(pair.value) ? pair.value.range : undefined;
    if (range !== undefined && range !== null && range[0] <= at && at <= range[2]) return range[0];
  }
  return at;
}
