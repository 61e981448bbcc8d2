/** The schema as text: `--help`, the README's options table and `--check-config`'s effective configuration. */
import { Document, isMap, isPair, isScalar, isSeq } from 'yaml';
import { describeSource } from './configError.ts';
import type { LoadedConfig } from './loadConfig.ts';
import { SETTING_NAMES, SETTINGS, type ConfigValues, type SettingName } from './schema.ts';
import type { YamlValue } from './settingTypes.ts';

/** A setting's default as its YAML value. */
export function formatDefault(name: SettingName): YamlValue {
  const setting = SETTINGS[name];
  return (setting.type.format as (value: unknown) => YamlValue)(setting.default);
}

function formatValueText(value: YamlValue): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry))).join(',');
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'none' : JSON.stringify(value);
  return value === '' ? "''" : String(value);
}

export function renderHelp(): string {
  const lines = [
    'Usage: otel-prom-bridge [options]',
    '',
    'Receives OpenTelemetry metrics over OTLP (HTTP and gRPC) and serves them for Prometheus to scrape.',
    'Every setting has a working default; the listeners bind every interface, since other services push',
    'to the sidecar and Prometheus scrapes it from elsewhere.',
    '',
    'Each setting comes from its flag, else its environment variable, else its key in the --config file,',
    'else its default. An empty environment variable counts as unset. Secrets (tokens, passwords) given',
    'as flags show in ps: prefer their environment variable or their _file setting.',
    '',
    'Settings:',
  ];
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    lines.push(
      `  ${setting.flag} ${setting.type.placeholder}`,
      `      ${setting.doc}`,
      `      allowed: ${setting.type.allowed}`,
      `      env ${setting.env} | file key ${setting.yamlKey} | default ${formatValueText(formatDefault(name))}`,
    );
  }
  lines.push(
    '',
    'Options:',
    '  --config <path>   a YAML file of settings by key (unknown keys are errors)',
    '  --check-config    validate the configuration (reading the secret and TLS files), print the',
    '                    effective settings with secrets shown as *** and exit',
    '  -h, --help        show this help and exit',
    '  -v, --version     show the version and exit',
    '',
    'Commands:',
    '  rules --from <file|url>   print Prometheus recording rules that keep the series names of',
    '                            @opentelemetry/exporter-prometheus alive after a switch to this',
    '                            naming (see rules --help)',
    '',
    'SIGTERM or SIGINT stops it gracefully: /-/ready answers 503, new OTLP exports get 503 (gRPC',
    'UNAVAILABLE), those in flight finish, the metrics path answers for --drain-period, then it exits 0.',
    'A second signal exits 1 at once (one within 100 ms of the first counts as the same one).',
    '',
    'Logs are JSON lines on stderr, at --log-level; the first says where each listener is and the',
    'effective settings, secrets shown as ***. Command-line errors are one plain line instead.',
    '',
    'Exit codes: 0 after a clean stop, --help, --version or --check-config; 1 when it cannot start or',
    'stop, or on a second signal; 2 for a wrong command line, environment variable or file (also a',
    'missing or empty secret file, or a certificate or key that is not PEM).',
    '',
  );
  return lines.join('\n');
}

export const OPTIONS_TABLE_START = '<!-- sidecar-options:start -->';
export const OPTIONS_TABLE_END = '<!-- sidecar-options:end -->';

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The README's markdown table of the sidecar's settings (without the markers). */
export function renderOptionsTable(): string {
  const rows = [
    '| flag | environment variable | YAML key | default | allowed | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    rows.push(
      `| \`${setting.flag}\` | \`${setting.env}\` | \`${setting.yamlKey}\` | \`${cell(formatValueText(formatDefault(name)))}\` | ${cell(setting.type.allowed)} | ${cell(setting.doc)} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}

/** What secrets are shown as. */
export const MASKED_SECRET = '***';

/** Every setting's value as YAML takes it, by YAML key, secrets that are set shown as `***`. */
export function maskedConfigValues(values: ConfigValues): Record<string, YamlValue> {
  const plain: Record<string, YamlValue> = {};
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    const value = (setting.type.format as (value: unknown) => YamlValue)(values[name]);
    plain[setting.yamlKey] = setting.type.secret === true && value !== '' ? MASKED_SECRET : value;
  }
  return plain;
}

/**
 * The effective configuration as a YAML file the sidecar reads back (`--config`), each line
 * commented with where its value came from.
 */
export function renderEffectiveConfig(config: LoadedConfig): string {
  const document = new Document(maskedConfigValues(config.values));
  document.commentBefore = ' otel-prom-bridge: the configuration is valid; the effective settings and where each came from (secrets shown as ***):';
  const contents = document.contents;
  if (isMap(contents)) {
    contents.items.forEach((pair, index) => {
      const name = SETTING_NAMES[index];
      if (!isPair(pair) || name === undefined) return;
      const comment = ` ${describeSource(config.sources[name])}`;
      if (isSeq(pair.value) && pair.value.items.every((item) => isScalar(item))) pair.value.flow = true;
      if (isMap(pair.value) && pair.value.items.length === 0) pair.value.flow = true;
      if (isScalar(pair.value) || isSeq(pair.value) || isMap(pair.value)) pair.value.comment = comment;
    });
  }
  return document.toString();
}
