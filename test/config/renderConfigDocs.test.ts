import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig, type LoadedConfig } from '../../src/config/loadConfig.ts';
import { MASKED_SECRET, maskedConfigValues, OPTIONS_TABLE_END, OPTIONS_TABLE_START, renderEffectiveConfig, renderHelp, renderOptionsTable } from '../../src/config/renderConfigDocs.ts';
import { SETTING_NAMES, SETTINGS } from '../../src/config/schema.ts';

function loaded(argv: string[], env: Record<string, string> = {}, yaml = ''): LoadedConfig {
  const command = loadConfig({ argv: ['--config', 'bridge.yaml', ...argv], env, readFile: () => yaml });
  assert.ok(command.kind === 'run' || command.kind === 'check');
  return command.config;
}

describe('renderHelp', () => {
  const help = renderHelp();
  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    it(`lists ${setting.flag} with its variable, key, default, doc and what is allowed`, () => {
      assert.ok(help.includes(`  ${setting.flag} ${setting.type.placeholder}\n      ${setting.doc}\n      allowed: ${setting.type.allowed}\n`), setting.flag);
      assert.match(help, new RegExp(`env ${setting.env} \\| file key ${setting.yamlKey} \\| default \\S+`));
    });
  }
  it('lists --config, --check-config, --help and --version', () => {
    for (const flag of ['--config <path>', '--check-config', '-h, --help', '-v, --version']) assert.ok(help.includes(`  ${flag} `), flag);
  });
});

describe("README's sidecar options table", () => {
  it('is exactly renderOptionsTable() between the markers', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(OPTIONS_TABLE_START);
    const end = readme.indexOf(OPTIONS_TABLE_END);
    assert.ok(start >= 0 && end > start, `README.md has ${OPTIONS_TABLE_START} and then ${OPTIONS_TABLE_END}`);
    assert.equal(readme.indexOf(OPTIONS_TABLE_START, start + 1), -1, 'one start marker');
    assert.equal(readme.slice(start + OPTIONS_TABLE_START.length, end), `\n${renderOptionsTable()}`, 'README table is out of date: paste renderOptionsTable() between the markers');
    assert.ok(readme.lastIndexOf('## The sidecar', start) > readme.lastIndexOf('\n## ', start) - 1, 'the table is in "## The sidecar"');
  });
  it('has a row per setting', () => {
    const rows = renderOptionsTable().trimEnd().split('\n');
    assert.equal(rows.length, 2 + SETTING_NAMES.length);
    SETTING_NAMES.forEach((name, index) => assert.ok(rows[index + 2]?.startsWith(`| \`${SETTINGS[name].flag}\` | \`${SETTINGS[name].env}\` | \`${SETTINGS[name].yamlKey}\` |`)));
  });
});

describe('renderEffectiveConfig', () => {
  const config = loaded(['--max-series', '10', '--otlp-grpc-listen', 'off'], { OTEL_PROM_BRIDGE_NAMESPACE: 'acme' }, 'promote_resource_attributes: [service.name]\nmetric_expiration: 90s\n');
  const text = renderEffectiveConfig(config);

  it('comments each setting with where it came from', () => {
    assert.match(text, /^max_series: 10 # --max-series$/m);
    assert.match(text, /^otlp_grpc_listen: off # --otlp-grpc-listen$/m);
    assert.match(text, /^namespace: acme # OTEL_PROM_BRIDGE_NAMESPACE$/m);
    assert.match(text, /^promote_resource_attributes: \[ service\.name \] # bridge\.yaml:promote_resource_attributes$/m);
    assert.match(text, /^metric_expiration: 1m30s # bridge\.yaml:metric_expiration$/m);
    assert.match(text, /^max_request_body: 16MiB # default$/m);
    assert.equal(text.split('\n').filter((line) => / # /.test(line)).length, SETTING_NAMES.length);
  });

  it('is a config file that loads back to the same values', () => {
    assert.deepEqual(loaded([], {}, text).values, config.values);
  });
});

describe('secrets in the effective configuration', () => {
  const config = loaded(['--metrics-bearer-token', 'flag-T0KEN', '--otlp-basic-auth-username', 'app'], { OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD: 'env-PASSW0RD' }, 'metrics_bearer_token_file: ""\n');

  it('maskedConfigValues shows a set secret as *** and everything else as it is', () => {
    const values = maskedConfigValues(config.values);
    assert.equal(values.metrics_bearer_token, MASKED_SECRET);
    assert.equal(values.otlp_basic_auth_password, '***');
    assert.equal(values.otlp_basic_auth_username, 'app');
    assert.equal(values.metrics_basic_auth_password, '', 'an unset secret stays empty');
    assert.deepEqual(Object.keys(values), SETTING_NAMES.map((name) => SETTINGS[name].yamlKey));
  });

  it('renderEffectiveConfig masks them, keeping where they came from', () => {
    const text = renderEffectiveConfig(config);
    assert.match(text, /^metrics_bearer_token: "\*\*\*" # --metrics-bearer-token$/m);
    assert.match(text, /^otlp_basic_auth_password: "\*\*\*" # OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD$/m);
    assert.doesNotMatch(text, /flag-T0KEN|env-PASSW0RD/);
  });

  it('every secret setting is masked, and only those', () => {
    const secrets = SETTING_NAMES.filter((name) => SETTINGS[name].type.secret === true).map((name) => SETTINGS[name].yamlKey);
    assert.deepEqual(secrets, ['metrics_bearer_token', 'metrics_basic_auth_password', 'otlp_bearer_token', 'otlp_basic_auth_password']);
  });
});
